// Package campaignimport reads a campaign that already lives on MANGOPAY
// and writes the settle plan that settles it (`settle import`).
//
// The model. A campaign on MANGOPAY is a project wallet and what moved
// through it. [Read] collects, with read calls only:
//
//   - the project wallet, its owner (who must not be a PAYER), the
//     owner's active bank accounts and Recipients, and identity state
//     (KYC level, documents, identity verification sessions);
//   - every transaction of the project wallet, 100 per page: the
//     SUCCEEDED transfers credited to it are the contributions; the
//     transfer refunds and payouts debited from it are what was settled
//     already;
//   - for each contributor wallet, its transactions (100 per page), where
//     the pay-in that funded each contribution is looked for (see
//     [pair]), and its owner (one GET each, or the user list when that
//     takes fewer calls).
//
// [Source.Plan] then writes what is left to settle: every object adopted
// by id, one campaign whose contributions are keyed by their transfer's
// id (so the keys, hence settle's Tags and idempotency keys, are the same
// at every import), and the outcome asked for. A refund or payout that
// carries this plan's own Tag (settle:<name>/...) is the plan's own step,
// made by an earlier apply: it is left to settle, which finds it by its
// Tag, so a re-import after apply yields a plan with nothing to do. Any
// other refund or payout was made outside the plan, and only what it left
// is settled.
//
// Import never writes to MANGOPAY: every call is a GET, through the
// client's rate-limit governor.
package campaignimport

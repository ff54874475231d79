// flow.js drives the whole crowdfunding flow through MANGOPAY's official
// Node SDK (mangopay4-nodejs-sdk) against `settle sandbox serve`.
//
//   node flow.js <baseUrl> [clientId] [apiKey]
//
// Every step asserts what MANGOPAY documents; the first failure exits 1.
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const mangopay = require('mangopay4-nodejs-sdk');

const baseUrl = process.argv[2];
const clientId = process.argv[3] || 'sandbox';
const clientApiKey = process.argv[4] || 'sandbox-api-key';
if (!baseUrl) {
    console.error('usage: node flow.js <baseUrl> [clientId] [apiKey]');
    process.exit(2);
}

// errorHandler: the SDK logs every non-2xx by default; the flow expects some.
const api = new mangopay({ clientId, clientApiKey, baseUrl, errorHandler: () => {} });

const eur = (amount) => ({ Currency: 'EUR', Amount: amount });
const full = (extra) => Object.assign({ resolveWithFullResponse: true }, extra || {});

// rejected runs a call that must fail and returns the full axios response.
async function rejected(promise) {
    try {
        const got = await promise;
        assert.fail(`call succeeded, want an error: ${JSON.stringify(got && got.body)}`);
    } catch (err) {
        if (err instanceof assert.AssertionError) throw err;
        if (!err || !err.status) assert.fail(`rejection without a response: ${err && (err.message || err.Message || err)}`);
        return err;
    }
}

// checkErrorBody checks MANGOPAY's error body shape.
function checkErrorBody(body, type) {
    assert.equal(body.Type, type, JSON.stringify(body));
    assert.match(body.Id, /^[0-9a-f-]{36}#\d+$/);
    assert.equal(typeof body.Date, 'number');
    assert.ok('errors' in body, 'the errors key is always present');
}

// kycPDF builds a real PDF of more than 32 KB, base64-encoded.
function kycPDF() {
    const text = 'BT /F1 24 Tf 72 720 Td (Identity proof - settle sandbox test) Tj ET';
    const padding = '% ' + 'x'.repeat(76) + '\n';
    const parts = [
        '%PDF-1.4\n',
        '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n',
        '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n',
        '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj\n',
        `4 0 obj << /Length ${text.length} >> stream\n${text}\nendstream endobj\n`,
        padding.repeat(500),
        'trailer << /Root 1 0 R >>\n%%EOF\n',
    ];
    const pdf = Buffer.from(parts.join(''));
    assert.ok(pdf.length >= 32 * 1024, `PDF is ${pdf.length} bytes`);
    return pdf.toString('base64');
}

async function admin(method, path) {
    const resp = await fetch(baseUrl + path, { method });
    const text = await resp.text();
    assert.ok(resp.ok, `${method} ${path}: ${resp.status} ${text}`);
    return text ? JSON.parse(text) : null;
}

async function balance(walletId) {
    return (await api.Wallets.get(walletId)).Balance.Amount;
}

async function feesBalance() {
    return (await api.Clients.getClientWallet('FEES', 'EUR')).Balance.Amount;
}

const browserInfo = {
    AcceptHeader: 'text/html, application/xhtml+xml', JavaEnabled: false, Language: 'fr-FR', ColorDepth: 24,
    ScreenHeight: 900, ScreenWidth: 1600, TimeZoneOffset: -60, UserAgent: 'Mozilla/5.0', JavascriptEnabled: true,
};

const ctx = {};
const steps = [];
const step = (name, fn) => steps.push({ name, fn });

step('oauth token', async () => {
    const tok = await api.authorize();
    assert.equal(tok.token_type, 'bearer');
    assert.match(tok.access_token, /^[0-9a-f]{32}$/);
    assert.equal(tok.expires_in, 1200);
});

step('client wallets on a fresh server, GET /clients', async () => {
    // The platform's wallets exist before any fee reaches them.
    const all = await api.Clients.getClientWallets({ parameters: { per_page: 100 } });
    assert.equal(all.length, 30, JSON.stringify(all.map((w) => w.Id)));
    for (const id of ['FEES_EUR', 'CREDIT_EUR', 'FEES_GBP', 'CREDIT_USD']) {
        const w = all.find((x) => x.Id === id);
        assert.ok(w, `${id} is listed`);
        assert.equal(w.Balance.Amount, 0);
    }
    const credit = await api.Clients.getClientWalletsByFundsType('CREDIT', { parameters: { per_page: 100 } });
    assert.equal(credit.length, 15);
    assert.ok(credit.every((w) => w.FundsType === 'CREDIT'));
    const client = await api.Clients.get();
    assert.equal(client.ClientId, clientId);
    ctx.fees0 = await feesBalance();
    assert.equal(ctx.fees0, 0);
});

step('users: natural PAYER and OWNER', async () => {
    ctx.payer = await api.Users.create({
        PersonType: 'NATURAL', UserCategory: 'PAYER', TermsAndConditionsAccepted: true,
        FirstName: 'Camille', LastName: 'Martin', Email: 'camille@example.com',
    });
    assert.match(ctx.payer.Id, /\S/);
    assert.equal(ctx.payer.PersonType, 'NATURAL');
    assert.equal(ctx.payer.UserCategory, 'PAYER');
    assert.equal(ctx.payer.KYCLevel, 'LIGHT');
    assert.equal(ctx.payer.Birthday, null);
    ctx.owner = await api.Users.create({
        PersonType: 'NATURAL', UserCategory: 'OWNER', TermsAndConditionsAccepted: true,
        FirstName: 'Alex', LastName: 'Smith', Email: 'alex@example.com', Birthday: 652117514,
        Nationality: 'FR', CountryOfResidence: 'FR',
        Address: { AddressLine1: '3 rue de la Cité', City: 'Paris', PostalCode: '75004', Country: 'FR' },
    });
    assert.equal(ctx.owner.UserCategory, 'OWNER');
    assert.equal(ctx.owner.TermsAndConditionsAccepted, true);
    assert.equal(ctx.owner.UserStatus, 'ACTIVE');
});

step('users: legal SCA OWNER with a nested LegalRepresentative', async () => {
    const representative = {
        FirstName: 'John', LastName: 'Doe', Email: 'john.doe.sca@sample.org', Birthday: 652117514,
        Nationality: 'FR', CountryOfResidence: 'FR', PhoneNumber: '+33611111111', PhoneNumberCountry: 'FR',
    };
    const legal = await api.Users.create({
        LegalSca: true, UserCategory: 'OWNER', TermsAndConditionsAccepted: true, LegalPersonType: 'BUSINESS',
        Name: 'Garden Ltd', Email: 'garden.sca@sample.org', CompanyNumber: '12345678',
        HeadquartersAddress: { AddressLine1: '3 rue de la Cité', City: 'Paris', PostalCode: '75004', Country: 'FR' },
        LegalRepresentative: representative,
    });
    assert.equal(legal.PersonType, 'LEGAL');
    assert.deepEqual(Object.assign({}, legal.LegalRepresentative), representative);
    assert.equal(legal.UserStatus, 'PENDING_USER_ACTION');
    assert.ok(legal.PendingUserAction.RedirectUrl.startsWith(baseUrl), legal.PendingUserAction.RedirectUrl);
    const read = await api.Users.getLegalSca(legal.Id);
    assert.deepEqual(Object.assign({}, read.LegalRepresentative), representative);
    // The enrolment page the emulator serves, then the user is ACTIVE.
    const page = await fetch(legal.PendingUserAction.RedirectUrl);
    assert.equal(page.status, 200);
    assert.equal((await api.Users.getSca(legal.Id)).UserStatus, 'ACTIVE');
    const enrolment = await api.Users.enroll(legal.Id);
    assert.ok(enrolment.PendingUserAction.RedirectUrl.startsWith(baseUrl), JSON.stringify(enrolment));
    const err = await rejected(api.Users.manageConsent(legal.Id, full()));
    assert.equal(err.status, 400);
    checkErrorBody(err.body, 'param_error');
    assert.equal(err.body.errors['Invalid SCA request'], 'Consent cannot be given when no proxy is required by the client.');
});

step('wallets', async () => {
    ctx.wc = await api.Wallets.create({ Owners: [ctx.payer.Id], Description: 'contributor', Currency: 'EUR' });
    ctx.wp = await api.Wallets.create({ Owners: [ctx.owner.Id], Description: 'project', Currency: 'EUR' });
    assert.deepEqual(ctx.wc.Balance, eur(0));
    assert.deepEqual(ctx.wp.Owners, [ctx.owner.Id]);
    assert.equal(ctx.wp.FundsType, 'DEFAULT');
});

step('IBAN bank account', async () => {
    ctx.bank = await api.Users.createBankAccount(ctx.owner.Id, {
        Type: 'IBAN', OwnerName: 'Alex Smith', IBAN: 'FR7630004000031234567890143', BIC: 'BNPAFRPP',
        OwnerAddress: { AddressLine1: '3 rue de la Cité', City: 'Paris', PostalCode: '75004', Country: 'FR' },
    });
    assert.equal(ctx.bank.Type, 'IBAN');
    assert.equal(ctx.bank.Active, true);
    assert.equal(ctx.bank.UserId, ctx.owner.Id);
});

step('KYC document, page, submit, validated', async () => {
    const doc = await api.Users.createKycDocument(ctx.owner.Id, { Type: 'IDENTITY_PROOF', Tag: 'accept' });
    assert.equal(doc.Status, 'CREATED');
    assert.equal(doc.Type, 'IDENTITY_PROOF');
    const page = await api.Users.createKycPage(ctx.owner.Id, doc.Id, { File: kycPDF() }, full());
    assert.equal(page.status, 204);
    const asked = await api.Users.updateKycDocument(ctx.owner.Id, { Id: doc.Id, Status: 'VALIDATION_ASKED' });
    assert.equal(asked.Status, 'VALIDATION_ASKED');
    const done = await api.Users.getKycDocument(ctx.owner.Id, doc.Id);
    assert.equal(done.Status, 'VALIDATED');
    const owner = await api.Users.get(ctx.owner.Id);
    assert.equal(owner.KYCLevel, 'REGULAR');
    assert.equal(owner.ProofOfIdentity, doc.Id);
});

step('card registration, tokenization, update', async () => {
    const reg = await api.CardRegistrations.create({ UserId: ctx.payer.Id, Currency: 'EUR', CardType: 'CB_VISA_MASTERCARD' });
    assert.equal(reg.Status, 'CREATED');
    assert.ok(reg.CardRegistrationURL.startsWith(baseUrl), reg.CardRegistrationURL);
    // The SDK's own test helper tokenizes this way (api.method('post') to the URL).
    const data = await api.method('post', {
        url: reg.CardRegistrationURL,
        data: {
            data: reg.PreregistrationData, accessKeyRef: reg.AccessKey,
            cardNumber: '4970107111111119', cardExpirationDate: '1240', cardCvx: '123',
        },
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const registrationData = Buffer.from(data).toString();
    assert.match(registrationData, /^data=/);
    const updated = await api.CardRegistrations.update({ Id: reg.Id, RegistrationData: registrationData });
    assert.equal(updated.Status, 'VALIDATED');
    assert.equal(updated.ResultCode, '000000');
    assert.match(updated.CardId, /\S/);
    ctx.cardId = updated.CardId;
    const card = await api.Cards.get(ctx.cardId);
    assert.equal(card.UserId, ctx.payer.Id);
    assert.equal(card.Country.length, 3);
});

step('card direct pay-in', async () => {
    ctx.payin = await api.PayIns.create({
        PaymentType: 'CARD', ExecutionType: 'DIRECT', AuthorId: ctx.payer.Id, CreditedWalletId: ctx.wc.Id,
        CardId: ctx.cardId, DebitedFunds: eur(10000), Fees: eur(500),
        SecureModeReturnURL: 'https://example.com/return', IpAddress: '2001:0620:0000:0000:0211:24FF:FE80:C12C',
        BrowserInfo: browserInfo,
    });
    assert.equal(ctx.payin.Status, 'SUCCEEDED', JSON.stringify(ctx.payin));
    assert.equal(ctx.payin.ResultCode, '000000');
    assert.deepEqual(ctx.payin.CreditedFunds, eur(9500));
    assert.equal(await balance(ctx.wc.Id), 9500);
    assert.equal(await feesBalance(), ctx.fees0 + 500);
});

step('transfer with fees (FEES grows), with an Idempotency-Key', async () => {
    ctx.key = crypto.randomUUID();
    ctx.transfer = await api.Transfers.create({
        AuthorId: ctx.payer.Id, DebitedWalletId: ctx.wc.Id, CreditedWalletId: ctx.wp.Id,
        DebitedFunds: eur(6000), Fees: eur(300),
    }, api.OptionsHelper.withIdempotency({}, ctx.key));
    assert.equal(ctx.transfer.Status, 'SUCCEEDED');
    assert.equal(ctx.transfer.CreditedUserId, ctx.owner.Id);
    assert.deepEqual(ctx.transfer.CreditedFunds, eur(5700));
    assert.equal(await balance(ctx.wc.Id), 3500);
    assert.equal(await balance(ctx.wp.Id), 5700);
    assert.equal(await feesBalance(), ctx.fees0 + 800);
});

step('replayed Idempotency-Key: 409, then /responses/{key}', async () => {
    const err = await rejected(api.Transfers.create({
        AuthorId: ctx.payer.Id, DebitedWalletId: ctx.wc.Id, CreditedWalletId: ctx.wp.Id,
        DebitedFunds: eur(6000), Fees: eur(300),
    }, full(api.OptionsHelper.withIdempotency({}, ctx.key))));
    assert.equal(err.status, 409);
    checkErrorBody(err.body, 'idempotent_creation_conflict');
    assert.equal(err.body.Message, 'A resource has already been created with this Idempotency Key');
    const original = await api.Idempotency.get(ctx.key);
    assert.equal(original.StatusCode, '200');
    assert.equal(original.ContentType, 'application/json; charset=utf-8');
    assert.ok(Number(original.ContentLength) > 0);
    assert.ok(!Number.isNaN(Date.parse(original.Date)), original.Date);
    assert.equal(original.Resource.Id, ctx.transfer.Id);
    assert.equal(await balance(ctx.wc.Id), 3500, 'the replay moved no money');
});

step('transfer refund (partial)', async () => {
    const refund = await api.Transfers.createRefund(ctx.transfer.Id, {
        AuthorId: ctx.payer.Id, DebitedFunds: eur(1900), Fees: eur(-100),
    });
    assert.equal(refund.Status, 'SUCCEEDED', JSON.stringify(refund));
    assert.equal(refund.Type, 'TRANSFER');
    assert.equal(refund.Nature, 'REFUND');
    assert.equal(refund.InitialTransactionId, ctx.transfer.Id);
    assert.equal(await balance(ctx.wp.Id), 3800);
    assert.equal(await balance(ctx.wc.Id), 5500);
    assert.equal(await feesBalance(), ctx.fees0 + 700);
});

step('pay-in refund (partial)', async () => {
    const refund = await api.PayIns.createRefund(ctx.payin.Id, {
        AuthorId: ctx.payer.Id, DebitedFunds: eur(3000), Fees: eur(-100),
    });
    assert.equal(refund.Status, 'SUCCEEDED', JSON.stringify(refund));
    assert.equal(refund.Type, 'PAYOUT');
    assert.equal(refund.Nature, 'REFUND');
    assert.equal(refund.CreditedWalletId, null);
    assert.equal(await balance(ctx.wc.Id), 2500);
    assert.equal(await feesBalance(), ctx.fees0 + 600);
});

step('payout (CREATED, processed, SUCCEEDED)', async () => {
    const payout = await api.PayOuts.create({
        PaymentType: 'BANK_WIRE', AuthorId: ctx.owner.Id, DebitedWalletId: ctx.wp.Id, BankAccountId: ctx.bank.Id,
        DebitedFunds: eur(3000), Fees: eur(100), BankWireRef: 'settle test',
    });
    assert.equal(payout.Status, 'CREATED');
    await admin('POST', '/sandbox/payouts/process');
    const done = await api.PayOuts.get(payout.Id);
    assert.equal(done.Status, 'SUCCEEDED', JSON.stringify(done));
    assert.equal(await balance(ctx.wp.Id), 800);
    assert.equal(await feesBalance(), ctx.fees0 + 700);
});

step('404 with MANGOPAY body', async () => {
    const err = await rejected(api.Users.get('user_m_01J00000000000000000000000', full()));
    assert.equal(err.status, 404);
    checkErrorBody(err.body, 'ressource_not_found');
    assert.equal(err.body.Message, 'The ressource does not exist');
    assert.ok(err.body.errors && Object.keys(err.body.errors).length === 1, JSON.stringify(err.body));
});

step('bad IBAN 400 with MANGOPAY body', async () => {
    const err = await rejected(api.Users.createBankAccount(ctx.owner.Id, {
        Type: 'IBAN', OwnerName: 'Alex Smith', IBAN: 'FR7630004000031234567890144', BIC: 'BNPAFRPP',
        OwnerAddress: { AddressLine1: '3 rue', City: 'Paris', PostalCode: '75004', Country: 'FR' },
    }, full()));
    assert.equal(err.status, 400);
    checkErrorBody(err.body, 'param_error');
    assert.equal(err.body.errors.IBAN, 'The value is not a valid IBAN');
});

step('transfer from a short wallet: FAILED 001001', async () => {
    const t = await api.Transfers.create({
        AuthorId: ctx.payer.Id, DebitedWalletId: ctx.wc.Id, CreditedWalletId: ctx.wp.Id,
        DebitedFunds: eur(1000000), Fees: eur(0),
    });
    assert.equal(t.Status, 'FAILED');
    assert.equal(t.ResultCode, '001001');
    assert.equal(t.ResultMessage, 'Unsufficient wallet balance');
    assert.equal(await balance(ctx.wc.Id), 2500);
});

step('pagination headers and rate-limit headers', async () => {
    const resp = await api.Wallets.getTransactions(ctx.wc.Id,
        full({ parameters: { per_page: 2, page: 1, Sort: 'CreationDate:ASC' } }));
    assert.equal(resp.status, 200);
    assert.ok(Array.isArray(resp.data) && resp.data.length === 2);
    const items = Number(resp.headers['x-number-of-items']);
    assert.ok(items >= 4, `X-Number-Of-Items = ${items}`);
    assert.equal(Number(resp.headers['x-number-of-pages']), Math.ceil(items / 2));
    const link = resp.headers['link'];
    for (const rel of ['first', 'next', 'last']) assert.ok(link.includes(`; rel="${rel}"`), link);
    assert.ok(link.includes(`<${baseUrl}/v2.01/${clientId}/wallets/${ctx.wc.Id}/transactions?`), link);
    assert.ok(!link.includes(', <'), 'Link entries are joined without a space');
    assert.equal(api.rateLimits.length, 4, JSON.stringify(api.rateLimits));
    assert.ok(api.rateLimits.every((r) => r.callsMade > 0 && r.callsRemaining > 0));
});

step('card web pay-in through the emulator\'s payment page, then refunded', async () => {
    const before = await balance(ctx.wc.Id);
    const payin = await api.PayIns.create({
        PaymentType: 'CARD', ExecutionType: 'WEB', AuthorId: ctx.payer.Id, CreditedWalletId: ctx.wc.Id,
        DebitedFunds: eur(2000), Fees: eur(100), CardType: 'CB_VISA_MASTERCARD',
        ReturnURL: 'https://example.com/return', Culture: 'FR', SecureMode: 'DEFAULT',
    });
    assert.equal(payin.Status, 'CREATED', JSON.stringify(payin));
    assert.equal(payin.ExecutionType, 'WEB');
    assert.equal(payin.ExecutionDate, null);
    assert.ok(payin.RedirectURL.startsWith(baseUrl), payin.RedirectURL);
    assert.equal(payin.ReturnURL, `https://example.com/return?transactionId=${payin.Id}`);
    // The payer's browser: the form, then the card posted to it.
    const form = await fetch(payin.RedirectURL);
    assert.equal(form.status, 200);
    assert.match(await form.text(), /name="cardNumber"/);
    const paid = await fetch(payin.RedirectURL, {
        method: 'POST', redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ cardNumber: '4970107111111119', cardExpirationDate: '1240', cardCvx: '123' }),
    });
    assert.equal(paid.status, 302);
    assert.equal(paid.headers.get('location'), payin.ReturnURL);
    const done = await api.PayIns.get(payin.Id);
    assert.equal(done.Status, 'SUCCEEDED', JSON.stringify(done));
    assert.equal(done.ResultCode, '000000');
    assert.match(done.CardId, /\S/);
    assert.equal(await balance(ctx.wc.Id), before + 1900);
    const refund = await api.PayIns.createRefund(payin.Id, {
        AuthorId: ctx.payer.Id, DebitedFunds: eur(1900), Fees: eur(-100),
    });
    assert.equal(refund.Status, 'SUCCEEDED', JSON.stringify(refund));
    assert.equal(refund.Type, 'PAYOUT');
    assert.equal(refund.InitialTransactionId, payin.Id);
    assert.deepEqual(refund.CreditedFunds, eur(2000));
    assert.equal(await balance(ctx.wc.Id), before);
    // A second refund of the fully refunded pay-in is a FAILED refund, not an error.
    const again = await api.PayIns.createRefund(payin.Id, {
        AuthorId: ctx.payer.Id, DebitedFunds: eur(1900), Fees: eur(0),
    });
    assert.equal(again.Status, 'FAILED');
    assert.equal(again.ResultCode, '001401');
    assert.equal(await feesBalance(), ctx.fees0 + 700);
});

step('recipients: payout methods, schema, validate (Errors by dotted path)', async () => {
    const pm = await api.Recipients.getPayoutMethods('DE', 'EUR');
    assert.deepEqual(pm.AvailablePayoutMethods, ['LocalBankTransfer', 'InternationalBankTransfer']);
    const schema = await api.Recipients.getSchema('LocalBankTransfer', 'Individual', 'GBP', 'GB');
    assert.equal(schema.LocalBankTransfer.GBP.AccountNumber.Pattern, '^\\d{8}$', JSON.stringify(schema));
    assert.equal(schema.IndividualRecipient.Address.City.Required, true);
    assert.equal(schema.DisplayName.MaxLength, 50);
    const gbp = {
        DisplayName: 'Alex Smith GBP account', PayoutMethodType: 'LocalBankTransfer', RecipientType: 'Individual',
        Currency: 'GBP', Country: 'GB',
        IndividualRecipient: { FirstName: 'Alex', LastName: 'Smith',
            Address: { AddressLine1: '10 Downing Street', City: 'London', PostalCode: 'SW1A 2AA', Country: 'GB' } },
        LocalBankTransfer: { GBP: { AccountNumber: '1234', SortCode: '12-34-56' } },
    };
    const err = await rejected(api.Recipients.validate(gbp, ctx.owner.Id, full()));
    assert.equal(err.status, 400);
    assert.equal(err.body.Type, 'param_error');
    assert.match(err.body.Errors['LocalBankTransfer.GBP.AccountNumber'], /^INVALID_FORMAT\. Regex validation: \^\\d\{8\}\$$/);
    assert.match(err.body.Errors['LocalBankTransfer.GBP.SortCode'], /^INVALID_FORMAT/);
    gbp.LocalBankTransfer.GBP = { AccountNumber: '12345678', SortCode: '123456' };
    await api.Recipients.validate(gbp, ctx.owner.Id);
});

step('recipient of an OWNER without "accept": PENDING until the SCA page is completed', async () => {
    const r = await api.Recipients.create({
        DisplayName: 'Alex Smith EUR FR account', PayoutMethodType: 'LocalBankTransfer', RecipientType: 'Individual',
        Currency: 'EUR', Country: 'FR',
        IndividualRecipient: { FirstName: 'Alex', LastName: 'Smith',
            Address: { AddressLine1: '3 rue de la Cité', City: 'Paris', PostalCode: '75004', Country: 'FR' } },
        LocalBankTransfer: { EUR: { IBAN: 'FR7630004000031234567890143' } },
    }, ctx.owner.Id);
    assert.equal(r.Status, 'PENDING');
    assert.match(r.Id, /^rec_/);
    assert.equal(r.RecipientVerificationOfPayee.RecipientVerificationCheck, 'MATCH_NOT_POSSIBLE');
    const url = r.PendingUserAction.RedirectUrl;
    assert.ok(url.startsWith(baseUrl + '/sca/recipients/'), url);
    assert.equal((await api.Recipients.get(r.Id)).Status, 'PENDING');
    const page = await fetch(url + '?returnUrl=' + encodeURIComponent('https://app.example/back'), { redirect: 'manual' });
    assert.equal(page.status, 302);
    assert.equal(page.headers.get('location'), 'https://app.example/back?controlStatus=SUCCEEDED');
    const active = await api.Recipients.get(r.Id);
    assert.equal(active.Status, 'ACTIVE');
    assert.equal(active.PendingUserAction, null);
    ctx.alexRecipient = active;
});

step('hosted identity verification: HostedUrl, page, VALIDATED, KYC REGULAR', async () => {
    ctx.john = await api.Users.create({
        PersonType: 'NATURAL', UserCategory: 'OWNER', TermsAndConditionsAccepted: true,
        FirstName: 'John', LastName: 'Doe', Email: 'john.doe+accept@example.org', Birthday: 652117514,
        Nationality: 'DE', CountryOfResidence: 'DE',
        Address: { AddressLine1: 'Oranienburger Str. 87', City: 'Berlin', PostalCode: '10178', Country: 'DE' },
    });
    const s = await api.IdentityVerifications.create(ctx.john.Id, { ReturnUrl: 'https://app.example/kyc', Tag: 'flow' });
    assert.equal(s.Status, 'PENDING');
    assert.match(s.Id, /^idnver_/);
    assert.ok(s.HostedUrl.startsWith(baseUrl + '/idv/' + s.Id + '?'), s.HostedUrl);
    const page = await fetch(s.HostedUrl, { redirect: 'manual' });
    assert.equal(page.status, 302);
    assert.equal(page.headers.get('location'), 'https://app.example/kyc?controlStatus=SUCCEEDED');
    const done = await api.IdentityVerifications.get(s.Id);
    assert.equal(done.Status, 'VALIDATED');
    assert.ok(done.Checks.every((c) => c.CheckStatus === 'VALIDATED'), JSON.stringify(done.Checks));
    const all = await api.IdentityVerifications.getAll(ctx.john.Id);
    assert.deepEqual(all.map((v) => v.Id), [s.Id]);
    assert.equal((await api.Users.get(ctx.john.Id)).KYCLevel, 'REGULAR');
    // A second session refused through the admin API.
    const r = await api.IdentityVerifications.create(ctx.john.Id, { ReturnUrl: 'https://app.example/kyc' });
    await admin('POST', `/sandbox/identity-verifications/${r.Id}/outcome?status=REFUSED&reason=DOCUMENT_FALSIFIED`);
    const refused = await api.IdentityVerifications.get(r.Id);
    assert.equal(refused.Status, 'REFUSED');
    assert.equal(refused.Checks[0].Reasons[0].Type, 'DOCUMENT_FALSIFIED');
    // A PAYER cannot have one.
    const err = await rejected(api.IdentityVerifications.create(ctx.payer.Id, { ReturnUrl: 'https://app.example/kyc' }, full()));
    assert.equal(err.status, 400);
    checkErrorBody(err.body, 'invalid_action');
});

step('recipient of an "accept" OWNER: ACTIVE without SCA, VOP MATCH, payout by RecipientId', async () => {
    const r = await api.Recipients.create({
        DisplayName: 'John Doe EUR DE account', PayoutMethodType: 'LocalBankTransfer', RecipientType: 'Individual',
        Currency: 'EUR', Country: 'DE', Tag: 'flow',
        IndividualRecipient: { FirstName: 'John', LastName: 'Doe',
            Address: { AddressLine1: 'Oranienburger Str. 87', City: 'Berlin', PostalCode: '10178', Country: 'DE' } },
        LocalBankTransfer: { EUR: { IBAN: 'DE75512108001245126199' } },
    }, ctx.john.Id);
    assert.equal(r.Status, 'PENDING');
    assert.equal(r.PendingUserAction, null);
    assert.equal(r.LocalBankTransfer.EUR.BIC, 'SOGEDEFFXXX');
    assert.equal(r.RecipientVerificationOfPayee.RecipientVerificationCheck, 'MATCH');
    const active = await api.Recipients.get(r.Id);
    assert.equal(active.Status, 'ACTIVE');
    const list = await api.Recipients.getUserRecipients(ctx.john.Id);
    assert.deepEqual(list.map((x) => x.Id), [r.Id]);
    const w = await api.Wallets.create({ Owners: [ctx.john.Id], Description: 'project', Currency: 'EUR' });
    const t = await api.Transfers.create({
        AuthorId: ctx.payer.Id, DebitedWalletId: ctx.wc.Id, CreditedWalletId: w.Id, DebitedFunds: eur(1000), Fees: eur(0),
    });
    assert.equal(t.Status, 'SUCCEEDED');
    const payout = await api.PayOuts.create({
        PaymentType: 'BANK_WIRE', AuthorId: ctx.john.Id, DebitedWalletId: w.Id, RecipientId: r.Id,
        DebitedFunds: eur(1000), Fees: eur(0), BankWireRef: 'settle test',
    });
    assert.equal(payout.RecipientId, r.Id, JSON.stringify(payout));
    await admin('POST', '/sandbox/payouts/process');
    const done = await api.PayOuts.get(payout.Id);
    assert.equal(done.Status, 'SUCCEEDED', JSON.stringify(done));
    assert.equal(done.RecipientVerificationOfPayee.RecipientVerificationCheck, 'MATCH');
    assert.equal(await balance(w.Id), 0);
    const off = await api.Recipients.deactivate(r.Id);
    assert.equal(off.Status, 'DEACTIVATED');
});

step('legacy bank account read as a recipient', async () => {
    const r = await api.Recipients.get(ctx.bank.Id);
    assert.equal(r.Id, ctx.bank.Id);
    assert.equal(r.Status, 'ACTIVE');
    assert.equal(r.DisplayName, null);
    assert.equal(r.RecipientVerificationOfPayee.RecipientVerificationCheck, 'MATCH_NOT_POSSIBLE');
    const list = await api.Recipients.getUserRecipients(ctx.owner.Id, { parameters: { Sort: 'CreationDate:ASC' } });
    assert.deepEqual(list.map((x) => x.Id), [ctx.bank.Id, ctx.alexRecipient.Id]);
});

step('ledger invariant holds', async () => {
    const ledger = await admin('GET', '/sandbox/ledger');
    assert.equal(ledger.OK, true, JSON.stringify(ledger));
});

(async () => {
    let failed = 0;
    for (const s of steps) {
        try {
            await s.fn();
            console.log(`ok   - ${s.name}`);
        } catch (err) {
            failed++;
            const detail = err instanceof Error ? err.message : JSON.stringify(err && (err.body || err.data || err));
            console.log(`FAIL - ${s.name}: ${detail}`);
            break; // later steps depend on this one
        }
    }
    console.log(failed ? 'flow FAILED' : `flow passed (${steps.length} steps)`);
    process.exit(failed ? 1 : 0);
})();

package executor

import (
	"context"
	"iter"

	"settle/mangopay"
	"settle/plan"
)

// cached returns the list stored under key, listing it with fill the
// first time.
func cached[T any](r *reader, key string, fill func() func(func(T, error) bool)) ([]T, error) {
	r.mu.Lock()
	v, ok := r.lists[key]
	r.mu.Unlock()
	if ok {
		return v.([]T), nil
	}
	var items []T
	n, err := countPages(fill(), func(it T) { items = append(items, it) })
	r.count(n)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.lists[key] = items
	r.mu.Unlock()
	return items, nil
}

// owned is how the objects of one kind that a user owns (wallets, bank
// accounts, KYC documents, cards) are read: one list call per owner (100
// per page, cached), each object named by its Id and its Tag and
// described as found; an adopted one by its own GET.
type owned[T any] struct {
	name     string // the list's name among the cached lists; "": the step's kind
	list     func(c *mangopay.Client) listByUser[T]
	get      func(r *reader, ctx context.Context, s *plan.Step) (*T, error) // nil: the kind's own get
	idTag    func(T) (id, tag string)
	describe func(it *T, s *plan.Step, tagged int) *found
}

// listByUser lists a user's objects of one kind.
type listByUser[T any] func(ctx context.Context, userID string, opts *mangopay.ListOptions) iter.Seq2[T, error]

// byID is the get of an owned kind whose objects are got by their Id
// alone.
func byID[T any](get func(c *mangopay.Client) func(context.Context, string) (*T, error)) func(*reader, context.Context, *plan.Step) (*T, error) {
	return func(r *reader, ctx context.Context, s *plan.Step) (*T, error) { return get(r.c)(ctx, s.AdoptedID) }
}

// row completes the row of an owned kind: read in the second wave (the
// last, lazy), once the owners are, from the owner's list (unless the kind
// finds its own way) or, adopted, by its GET.
func (o owned[T]) row(sk *stepKind) *stepKind {
	sk.wave, sk.prefetch = 1, o.prefetch
	if sk.lazy {
		sk.wave = lastWave
	}
	if sk.find == nil {
		sk.find = o.find
	}
	if o.get != nil {
		sk.get = func(r *reader, ctx context.Context, s *plan.Step) (*found, error) {
			it, err := o.get(r, ctx, s)
			if err != nil {
				return nil, err
			}
			return o.describe(it, s, 1), nil
		}
	}
	return sk
}

// objects lists the owner's objects of the step's kind, once per
// reading; none while the owner does not exist.
func (o owned[T]) objects(r *reader, ctx context.Context, s *plan.Step) ([]T, error) {
	owner := r.idOf(s.Owner)
	if owner == "" {
		return nil, nil
	}
	return cached(r, o.listName(s)+":"+owner, func() func(func(T, error) bool) {
		return o.list(r.c)(ctx, owner, &mangopay.ListOptions{PerPage: mangopay.MaxPerPage})
	})
}

// listName names the list of the step's kind among the cached lists.
func (o owned[T]) listName(s *plan.Step) string {
	if o.name != "" {
		return o.name
	}
	return string(s.Kind)
}

// prefetch is the list call a step of the kind is found in, once its
// owner exists.
func (o owned[T]) prefetch(r *reader, s *plan.Step) (string, func(context.Context) error) {
	owner := r.idOf(s.Owner)
	if owner == "" {
		return "", nil
	}
	return o.listName(s) + ":" + owner, func(ctx context.Context) error {
		_, err := o.objects(r, ctx, s)
		return err
	}
}

// find finds a managed object: the one with the journal's Id among its
// owner's, else the first carrying the step's Tag (the others count as
// duplicates).
func (o owned[T]) find(r *reader, ctx context.Context, s *plan.Step) error {
	items, err := o.objects(r, ctx, s)
	if err != nil {
		return err
	}
	if i, n := pick(items, r.journalID(s.Key), s.Tag, o.idTag); i >= 0 {
		r.setFound(s.Key, o.describe(&items[i], s, n))
	}
	return nil
}

// pick chooses, among objects, the one with the journalled Id, else those
// carrying tag; it returns the index of the pick (-1 if none) and how
// many carry the tag.
func pick[T any](items []T, jid, tag string, idTag func(T) (string, string)) (int, int) {
	best, n := -1, 0
	for i, it := range items {
		id, itTag := idTag(it)
		if jid != "" && id == jid {
			return i, 1
		}
		if tag != "" && itTag == tag {
			n++
			if best < 0 {
				best = i
			}
		}
	}
	return best, n
}

// readItself is the prefetch of a step read with a call of its own (a
// user, an adopted object): the reading itself.
func (r *reader) readItself(s *plan.Step) (string, func(context.Context) error) {
	return "step:" + s.Key, func(ctx context.Context) error { return r.read(ctx, s) }
}

// readAdopted reads an adopted object by its Id, with its kind's get.
func (r *reader) readAdopted(ctx context.Context, k *stepKind, s *plan.Step) error {
	r.count(1)
	f, err := k.get(r, ctx, s)
	if isNotFound(err) {
		r.setFound(s.Key, &found{ID: s.AdoptedID, Missing: true})
		return nil
	}
	if err != nil {
		return err
	}
	r.setFound(s.Key, f)
	return nil
}

package plan

import (
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"
)

// decode fills the model from tree, a normalized tree that passed the
// schema (root itself, or root without the objects the schema refused),
// and sets every object's Key and Pos. Positions are looked up in root.
// Objects declared under a key are located at the key; contributions at
// their list item.
func (l *loader) decode(root, tree *yaml.Node) (*Plan, error) {
	p := l.locator(root)
	if err := tree.Decode(p); err != nil {
		return nil, fmt.Errorf("plan: %s: decode a schema-valid plan: %w", l.file, err)
	}
	p.Dir = fileDir(l.file)
	for i := 0; i+1 < len(tree.Content); i += 2 {
		k, v := tree.Content[i], tree.Content[i+1]
		at := func(j int) Pos { return l.pos(v.Content[j]) }
		for j := 0; j+1 < len(v.Content); j += 2 {
			key := v.Content[j].Value
			switch k.Value {
			case "users":
				u := p.Users[key]
				u.Key, u.Pos = key, at(j)
			case "wallets":
				w := p.Wallets[key]
				w.Key, w.Pos = key, at(j)
			case "bank_accounts":
				b := p.BankAccounts[key]
				b.Key, b.Pos = key, at(j)
			case "kyc_documents":
				d := p.KYCDocuments[key]
				d.Key, d.Pos = key, at(j)
			case "cards":
				c := p.Cards[key]
				c.Key, c.Pos = key, at(j)
			case "campaigns":
				c := p.Campaigns[key]
				c.Key, c.Pos = key, at(j)
				l.setContributionPos(c, v.Content[j+1])
			}
		}
	}
	return p, nil
}

// setContributionPos sets the position of each contribution of a campaign.
func (l *loader) setContributionPos(c *Campaign, n *yaml.Node) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value != "contributions" {
			continue
		}
		items := n.Content[i+1].Content
		for j, x := range c.Contributions {
			if j < len(items) {
				x.Pos = l.pos(items[j])
			}
		}
	}
}

// contributionPath is the plan path of contribution i of campaign c.
func contributionPath(c *Campaign, i int) string {
	return "campaigns." + c.Key + ".contributions." + strconv.Itoa(i)
}

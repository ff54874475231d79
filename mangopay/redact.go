package mangopay

import (
	"fmt"
	"log/slog"
)

// redacted is what a secret prints as.
const redacted = "[REDACTED]"

// Secret is a credential (the API key). Every way of printing it (fmt's
// %v, %s, %q, %#v, slog, encoding/json) shows "[REDACTED]"; only
// string(s) gives the value, and the client does that in one place
// (the Authorization header).
type Secret string

// String returns "[REDACTED]".
func (Secret) String() string { return redacted }

// GoString returns "[REDACTED]".
func (Secret) GoString() string { return redacted }

// LogValue returns "[REDACTED]" for slog.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText returns "[REDACTED]", so encoding/json and other encoders
// never write the value either.
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// String describes the configuration without the API key.
func (c Config) String() string {
	return fmt.Sprintf("mangopay.Config{ClientID: %q, APIKey: %s, BaseURL: %q, Auth: %s}",
		c.ClientID, redacted, c.BaseURL, c.Auth)
}

// GoString is String, so %#v does not print the key either.
func (c Config) GoString() string { return c.String() }

// LogValue logs the configuration without the API key.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("client_id", c.ClientID),
		slog.String("api_key", redacted),
		slog.String("base_url", c.BaseURL),
		slog.String("auth", c.Auth.String()),
	)
}

// String describes the client without its credentials or token. Client's
// fields are unexported, and fmt would print unexported fields raw; this
// method stops it from looking inside.
func (c *Client) String() string {
	return fmt.Sprintf("mangopay.Client{ClientID: %q, BaseURL: %q, Auth: %s}", c.clientID, c.baseURL, c.auth)
}

// GoString is String.
func (c *Client) GoString() string { return c.String() }

// LogValue logs the client without its credentials or token.
func (c *Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.clientID), slog.String("base_url", c.baseURL))
}

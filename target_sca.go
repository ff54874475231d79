package main

import (
	"fmt"
	"strconv"
)

// envSCAUserRoutes turns the /sca/users routes on (1) or off (0) when
// --sca-user-routes is not given.
const envSCAUserRoutes = "MANGOPAY_SCA_USER_ROUTES"

// envProxyConsent states (1) that the platform holds proxy consent when
// --proxy-consent is not given.
const envProxyConsent = "MANGOPAY_PROXY_CONSENT"

// optBool is a boolean flag that remembers whether it was given.
type optBool struct {
	set, v bool
}

// String implements flag.Value.
func (b *optBool) String() string {
	if b == nil || !b.set {
		return ""
	}
	return strconv.FormatBool(b.v)
}

// Set implements flag.Value.
func (b *optBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("want true or false")
	}
	b.set, b.v = true, v
	return nil
}

// IsBoolFlag lets the flag be given without a value.
func (b *optBool) IsBoolFlag() bool { return true }

// scaUserRoutes decides whether users are created and read through
// /sca/users: --sca-user-routes, else MANGOPAY_SCA_USER_ROUTES, else on
// for the real MANGOPAY (sandbox and production without a base URL),
// whose legacy /users/natural and /users/legal endpoints are deprecated
// and answer errors since 2025-12-15, and off for the embedded sandbox
// and any other --base-url or MANGOPAY_BASE_URL (an emulator may not
// serve the /sca/ routes).
func scaUserRoutes(f targetFlags, spec targetSpec, getenv func(string) string) (bool, error) {
	if f.scaUserRoutes.set {
		return f.scaUserRoutes.v, nil
	}
	if raw := getenv(envSCAUserRoutes); raw != "" {
		v, err := strconv.ParseBool(raw)
		if err != nil {
			return false, fmt.Errorf("%s=%q: want 1 or 0", envSCAUserRoutes, raw)
		}
		return v, nil
	}
	remote := spec.Name == targetSandbox || spec.Name == targetProduction
	return remote && mangopayHost(spec.BaseURL), nil
}

// proxyConsent decides whether the platform holds proxy consent, so that
// owner reads and writes may send ScaContext=USER_NOT_PRESENT:
// --proxy-consent, else MANGOPAY_PROXY_CONSENT, else off. It is never
// inferred: MANGOPAY must have approved the platform's proxy and each
// owner must have consented on the hosted SCA page, which settle cannot
// see before it sends a call.
func proxyConsent(f targetFlags, getenv func(string) string) (bool, error) {
	if f.proxyConsent.set {
		return f.proxyConsent.v, nil
	}
	raw := getenv(envProxyConsent)
	if raw == "" {
		return false, nil
	}
	v, err := strconv.ParseBool(raw)
	if err != nil {
		return false, fmt.Errorf("%s=%q: want 1 or 0", envProxyConsent, raw)
	}
	return v, nil
}

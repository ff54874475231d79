package sandbox

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"settle/mangopay"
)

// The dashboard is the sandbox's stand-in for MANGOPAY's Dashboard, at
// /dashboard/: server-rendered pages (html/template, assets embedded, no
// JavaScript needed for any action; dashboard/refresh.js only reloads the
// page and tells the server the browser's time zone) that show the users,
// wallets, transactions and the queues waiting for a person, and offer
// the back office's actions (backoffice.go) as forms.
//
// Every action is a POST carrying a CSRF token: an HMAC, under a key drawn
// when the sandbox starts, of a random browser id the dashboard keeps in
// a cookie. With Options.AdminToken set, every page but the login form
// and the assets asks for a session first: posting the token to the login
// form sets a second cookie, the HMAC of the browser id under the same key.
// Pages and forms answer 401 with the login form until then.
//
// Routes (dashboardRoutes, routes.go):
//
//	GET  /dashboard/                 overview: clock, ledger, queues, platform wallets, users, wallets, rate limits
//	GET  /dashboard/users/{id}       a user: details, wallets, bank accounts, recipients, identity verifications, KYC documents
//	GET  /dashboard/kyc/{id}/pages/{n} a KYC document's page as uploaded (PDF, JPEG or PNG)
//	GET  /dashboard/wallets/{id}     a wallet and its transactions (?page=N)
//	GET  /dashboard/queues           what waits for a person, with the actions
//	GET  /dashboard/search?q=        find an object by Id or Tag
//	GET  /dashboard/faults           faults, rate-limit windows and the clock
//	POST /dashboard/faults           replace the faults
//	POST /dashboard/act/<path>       a back-office action (backoffice.go), then 303 to the form's "back"
//	POST /dashboard/login, /logout   with Options.AdminToken
//	GET  /dashboard/assets/<file>    style.css, refresh.js

//go:embed dashboard
var dashboardFiles embed.FS

// Cookie names of the dashboard.
const (
	dashBrowserCookie = "settle_dashboard"
	dashSessionCookie = "settle_dashboard_session"
	dashZoneCookie    = "settle_tz"
)

// dashboard holds what the dashboard's handlers share; immutable after
// newDashboard.
type dashboard struct {
	key    []byte // HMAC key of CSRF tokens and sessions
	token  string // Options.AdminToken; "" leaves the dashboard open
	pages  map[string]*template.Template
	assets fs.FS
}

// dashboardPages are the page templates, each rendered inside layout.html.
var dashboardPages = []string{"overview", "user", "wallet", "queues", "search", "faults", "login", "problem"}

func newDashboard(token string) (*dashboard, error) {
	d := &dashboard{key: make([]byte, 32), token: token, pages: map[string]*template.Template{}}
	if _, err := rand.Read(d.key); err != nil {
		return nil, fmt.Errorf("sandbox: dashboard key: %w", err)
	}
	assets, err := fs.Sub(dashboardFiles, "dashboard/assets")
	if err != nil {
		return nil, err
	}
	d.assets = assets
	for _, name := range dashboardPages {
		t, err := template.New("layout.html").Funcs(dashboardFuncs).ParseFS(dashboardFiles,
			"dashboard/layout.html", "dashboard/parts.html", "dashboard/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("sandbox: dashboard template %s: %w", name, err)
		}
		d.pages[name] = t
	}
	return d, nil
}

// mac is the hex HMAC of purpose and the browser id.
func (d *dashboard) mac(purpose, browser string) string {
	h := hmac.New(sha256.New, d.key)
	h.Write([]byte(purpose + "\x00" + browser))
	return hex.EncodeToString(h.Sum(nil))
}

// dashReq is one dashboard request as its handler sees it.
type dashReq struct {
	w       http.ResponseWriter
	r       *http.Request
	browser string         // the browser id (cookie)
	csrf    string         // the CSRF token of this browser
	zone    *time.Location // where dates are shown
	authed  bool           // the back office is open or the browser logged in
}

// browserID reads the browser id cookie, setting a new one when missing
// or malformed.
func (d *dashboard) browserID(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(dashBrowserCookie); err == nil && len(c.Value) == 32 {
		if _, err := hex.DecodeString(c.Value); err == nil {
			return c.Value
		}
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: dashBrowserCookie, Value: id, Path: "/dashboard/",
		HttpOnly: true, SameSite: http.SameSiteStrictMode})
	return id
}

// zoneOf is the browser's time zone (the cookie refresh.js sets), else the
// sandbox machine's.
func zoneOf(r *http.Request) *time.Location {
	if c, err := r.Cookie(dashZoneCookie); err == nil {
		if name, err := url.QueryUnescape(c.Value); err == nil && name != "" && len(name) < 64 {
			if loc, err := time.LoadLocation(name); err == nil {
				return loc
			}
		}
	}
	return time.Local
}

// dashHandler wraps a dashboard handler: it sets the browser id, answers
// 401 with the login form when a session is needed and missing, and on a
// POST checks the CSRF token (403 when wrong) and the Origin (403 when
// another site's).
func (s *Server) dashHandler(needSession bool, h func(q *dashReq)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d := s.dash
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
		q := &dashReq{w: w, r: r, browser: d.browserID(w, r), zone: zoneOf(r)}
		q.csrf = d.mac("csrf", q.browser)
		q.authed = d.token == ""
		if c, err := r.Cookie(dashSessionCookie); err == nil && !q.authed {
			q.authed = hmac.Equal([]byte(c.Value), []byte(d.mac("session", q.browser)))
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
			if err := r.ParseForm(); err != nil {
				s.dashProblem(q, http.StatusBadRequest, "The form could not be read: "+err.Error())
				return
			}
			if o := r.Header.Get("Origin"); o != "" && o != "null" && !sameHost(o, r.Host) {
				s.dashProblem(q, http.StatusForbidden, "This form was posted from another site ("+o+").")
				return
			}
			if !hmac.Equal([]byte(r.PostForm.Get("csrf")), []byte(q.csrf)) {
				s.dashProblem(q, http.StatusForbidden, "The form's security token is missing or stale: reload the page and try again.")
				return
			}
		}
		if needSession && !q.authed {
			s.dashRender(q, http.StatusUnauthorized, "login", loginView{})
			return
		}
		h(q)
	}
}

// sameHost reports whether the Origin origin names host.
func sameHost(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, host)
}

// dashLogin is POST /dashboard/login: a right token opens a session.
func (s *Server) dashLogin(q *dashReq) {
	if s.dash.token == "" {
		http.Redirect(q.w, q.r, "/dashboard/", http.StatusSeeOther)
		return
	}
	given := q.r.PostForm.Get("token")
	if subtle.ConstantTimeCompare([]byte(given), []byte(s.dash.token)) != 1 {
		s.dashRender(q, http.StatusUnauthorized, "login", loginView{Failed: true})
		return
	}
	http.SetCookie(q.w, &http.Cookie{Name: dashSessionCookie, Value: s.dash.mac("session", q.browser),
		Path: "/dashboard/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(q.w, q.r, "/dashboard/", http.StatusSeeOther)
}

// dashLogout is POST /dashboard/logout.
func (s *Server) dashLogout(q *dashReq) {
	http.SetCookie(q.w, &http.Cookie{Name: dashSessionCookie, Value: "", Path: "/dashboard/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(q.w, q.r, "/dashboard/", http.StatusSeeOther)
}

// loginView is the login form's data.
type loginView struct{ Failed bool }

// pageData is what layout.html renders around a page.
type pageData struct {
	Title    string
	CSRF     string
	Back     string // this page's path and query, where an action returns
	Notice   string // the outcome of the last action (?done=)
	Zone     string
	Session  bool // a logout button is shown
	Login    bool // the login form is shown: no navigation
	Refresh  bool // refresh.js may reload this page
	Page     any
	Template string
}

// dashRender renders page name with v.
func (s *Server) dashRender(q *dashReq, status int, name string, v any) {
	t, err := s.dash.pages[name].Clone()
	if err != nil {
		http.Error(q.w, "dashboard: "+err.Error(), http.StatusInternalServerError)
		return
	}
	back := q.r.URL.Query()
	back.Del("done")
	backURL := q.r.URL.Path
	if len(back) > 0 {
		backURL += "?" + back.Encode()
	}
	if q.r.Method == http.MethodPost {
		backURL = "/dashboard/"
	}
	t.Funcs(template.FuncMap{
		"date": func(unix int64) string { return dashDate(unix, q.zone) },
		"csrf": func() string { return q.csrf },
		"back": func() string { return backURL },
	})
	pd := pageData{Title: pageTitle(name, v), CSRF: q.csrf, Back: backURL, Notice: q.r.URL.Query().Get("done"),
		Zone: q.zone.String(), Session: s.dash.token != "" && q.authed, Login: name == "login",
		Refresh: q.r.Method == http.MethodGet && name != "login" && name != "problem", Page: v, Template: name}
	var buf bytes.Buffer
	if err = t.ExecuteTemplate(&buf, "layout.html", pd); err != nil {
		http.Error(q.w, "dashboard: "+err.Error(), http.StatusInternalServerError)
		return
	}
	q.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	q.w.WriteHeader(status)
	_, _ = q.w.Write(buf.Bytes())
}

// titled is a page view with its own title.
type titled interface{ title() string }

func pageTitle(name string, v any) string {
	if t, ok := v.(titled); ok {
		return t.title()
	}
	switch name {
	case "overview":
		return "Overview"
	case "login":
		return "Log in"
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// problemView is the page of a failed request or action.
type problemView struct {
	Message string
	Back    string
}

// dashProblem answers status with a page saying msg.
func (s *Server) dashProblem(q *dashReq, status int, msg string) {
	back := "/dashboard/"
	if b := q.r.PostFormValue("back"); safeBack(b) {
		back = b
	}
	s.dashRender(q, status, "problem", problemView{Message: msg, Back: back})
}

// safeBack reports whether b is a dashboard path an action may return to
// (no other host, no scheme).
func safeBack(b string) bool {
	return strings.HasPrefix(b, "/dashboard/") && !strings.Contains(b, "//") && !strings.ContainsAny(b, "\\\r\n")
}

// dashAction serves POST /dashboard/act/<path>: the back-office action, as
// one Commit, then 303 to the form's back page with what happened, or the
// problem page with MANGOPAY's error message.
func (s *Server) dashAction(act backofficeAction) func(q *dashReq) {
	return func(q *dashReq) {
		id := q.r.PathValue("id")
		_, e := s.runBackoffice(act, id, q.r.PostForm)
		if e != nil {
			s.dashProblem(q, e.Status, fmt.Sprintf("Not done (%s): %s", strings.Replace(act.path, "{id}", id, 1), apiErrorText(e)))
			return
		}
		back := q.r.PostForm.Get("back")
		if !safeBack(back) {
			back = "/dashboard/queues"
		}
		done := strings.TrimSpace(act.what + " " + id)
		u, _ := url.Parse(back)
		v := u.Query()
		v.Set("done", done)
		u.RawQuery = v.Encode()
		http.Redirect(q.w, q.r, u.String(), http.StatusSeeOther)
	}
}

// apiErrorText is an error's message with its field errors.
func apiErrorText(e *apiError) string {
	msg := e.Message
	keys := make([]string, 0, len(e.Errors))
	for k := range e.Errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		msg += " " + k + ": " + e.Errors[k]
	}
	return msg
}

// dashFaults is POST /dashboard/faults: the form's settings, checked as
// the admin API's PUT /sandbox/faults checks them.
func (s *Server) dashFaults(q *dashReq) {
	f := q.r.PostForm
	doc := faultsDoc{Latency: strings.TrimSpace(f.Get("latency"))}
	var err error
	if _, err = fmt.Sscan(strings.TrimSpace(f.Get("seed")), &doc.Seed); err == nil {
		if _, err = fmt.Sscan(strings.TrimSpace(f.Get("error_ratio")), &doc.ErrorRatio); err == nil {
			_, err = fmt.Sscan(strings.TrimSpace(f.Get("drop_ratio")), &doc.DropAfterCommitRatio)
		}
	}
	if err != nil {
		s.dashProblem(q, http.StatusBadRequest, "Seed and ratios must be numbers.")
		return
	}
	if rl := strings.TrimSpace(f.Get("rate_limits")); rl != "" || f.Has("clear_rate_limits") {
		doc.RateLimits = []rateLimitsDoc{}
		for _, part := range strings.FieldsFunc(rl, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
			p, l, ok := strings.Cut(part, ":")
			var n int
			if _, err := fmt.Sscan(l, &n); !ok || err != nil {
				s.dashProblem(q, http.StatusBadRequest, fmt.Sprintf("Rate limit %q is not PERIOD:LIMIT (e.g. 15m:2300).", part))
				return
			}
			doc.RateLimits = append(doc.RateLimits, rateLimitsDoc{Period: p, Limit: n})
		}
	}
	faults, windows, err := doc.settings()
	if err != nil {
		s.dashProblem(q, http.StatusBadRequest, "Faults: "+err.Error())
		return
	}
	s.setFaults(faults, windows)
	http.Redirect(q.w, q.r, "/dashboard/faults?done=faults+set", http.StatusSeeOther)
}

// dashAsset serves an embedded asset.
func (s *Server) dashAsset(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeFileFS(w, r, s.dash.assets, r.PathValue("file"))
}

// guardAdmin asks for the admin token (a bearer token) on the admin API
// when Options.AdminToken is set: 401 with MANGOPAY's error body and
// WWW-Authenticate: Bearer otherwise. Other paths pass through.
func (s *Server) guardAdmin(next http.Handler) http.Handler {
	token := s.opts.AdminToken
	if token == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/sandbox/") {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(token)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="settle sandbox admin"`)
				s.api.WriteError(w, &apiError{Status: http.StatusUnauthorized, Type: "unauthorized",
					Message: "The admin API needs Authorization: Bearer <admin token>"})
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// dashboardFuncs are the template functions; date, csrf and back are set
// per request (dashRender), these are their placeholders at parse time.
var dashboardFuncs = template.FuncMap{
	"money": moneyText,
	"moneyp": func(m *mangopay.Money) string {
		if m == nil {
			return ""
		}
		return moneyText(*m)
	},
	"date": func(int64) string { return "" },
	"csrf": func() string { return "" },
	"back": func() string { return "" },
	"path": url.PathEscape,
}

// dashDate shows a Unix time in zone, "" for 0.
func dashDate(unix int64, zone *time.Location) string {
	if unix == 0 {
		return ""
	}
	return time.Unix(unix, 0).In(zone).Format("2006-01-02 15:04:05 MST")
}

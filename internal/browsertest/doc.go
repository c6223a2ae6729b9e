// Package browsertest drives the web pages of `parecon serve` in a real
// browser: Debian's chromium, through chromedp. Its tests build the parecon
// binary, start `parecon serve` on a random loopback port with a fresh
// database, and act as councils, facilitators and observers would.
//
// Without chromium the tests skip, except when CI is set: there a missing
// browser fails them. PARECON_CHROMIUM names another browser binary. When
// PARECON_SCREENSHOTS names a directory, each test saves a PNG of each page
// it visits there.
package browsertest

package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"parecon/internal/proof"
	"parecon/internal/wire"
)

// cmdVerify checks, against a server, that a council's proposals are in
// the rounds' Merkle roots as it sent them and that the chain of roots
// holds together: docs/privacy.md, "Proof". It exits 1 on any mismatch.
func cmdVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", "http://127.0.0.1:8080", "the server's base URL")
	planID := fs.String("plan", "", "the plan's id")
	token := fs.String("token", "", "the council's token")
	round := fs.Int("round", -1, "check this round only (-1: every closed round)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: parecon verify --server URL --plan ID --token COUNCIL_TOKEN [--round N]\n\n"+
			"Checks the chain of the plan's round roots, and that the council's proposal in each closed round\n"+
			"(or round N) is in that round's root, as the server says the council sent it. Exits 1 on a mismatch.")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagStatus(err)
	}
	if *planID == "" || *token == "" || len(pos) > 0 {
		fs.Usage()
		return 2
	}
	v := &verifier{base: strings.TrimRight(*server, "/") + "/api/plans/" + url.PathEscape(*planID), token: *token,
		client: &http.Client{Timeout: 30 * time.Second}, ctx: ctx}
	problems, err := v.run(*round, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "parecon verify: %v\n", err)
		return 1
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stderr, "MISMATCH: %s\n", p)
		}
		return 1
	}
	fmt.Fprintln(stdout, "ok: every check passed")
	return 0
}

// verifier checks one council's proofs against one server.
type verifier struct {
	base, token string
	client      *http.Client
	ctx         context.Context
}

// get fetches path (under the plan) as JSON into out; it returns the
// status for a 404, an error for any other failure.
func (v *verifier) get(path string, out any) (int, error) {
	req, err := http.NewRequestWithContext(v.ctx, "GET", v.base+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+v.token)
	resp, err := v.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return 0, err
	}
	if resp.StatusCode == http.StatusNotFound {
		return resp.StatusCode, nil
	}
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, fmt.Errorf("GET %s: %s: %s", path, resp.Status, bytes.TrimSpace(body))
	}
	if err := json.Unmarshal(body, out); err != nil {
		return resp.StatusCode, fmt.Errorf("GET %s: %w", path, err)
	}
	return resp.StatusCode, nil
}

// run checks the chain and the council's proofs, printing what passed;
// it returns the mismatches.
func (v *verifier) run(only int, stdout io.Writer) ([]string, error) {
	var plan wire.PlanView
	if _, err := v.get("", &plan); err != nil {
		return nil, err
	}
	if plan.CouncilID == "" {
		return nil, errors.New("the token is not a council's")
	}
	var roots []wire.Root
	if _, err := v.get("/roots", &roots); err != nil {
		return nil, err
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	entries := make([]proof.RootEntry, len(roots))
	for i, r := range roots {
		root, err1 := base64.StdEncoding.DecodeString(r.Root)
		chain, err2 := base64.StdEncoding.DecodeString(r.Chain)
		if err1 != nil || err2 != nil {
			bad("round %d: the root or chain is not base64", r.Round)
		}
		entries[i] = proof.RootEntry{Round: r.Round, Size: r.Size, Root: root, Chain: chain}
	}
	if err := proof.VerifyChain(entries); err != nil {
		bad("the chain of roots: %v", err)
	} else {
		fmt.Fprintf(stdout, "ok: the chain of %d roots holds together\n", len(roots))
	}
	if only >= len(roots) {
		bad("round %d has no root (%d rounds are closed)", only, len(roots))
		return problems, nil
	}
	own, err := v.ownProposals()
	if err != nil {
		return nil, err
	}
	for n := range roots {
		if only >= 0 && n != only {
			continue
		}
		var pf wire.Proof
		status, err := v.get("/rounds/"+strconv.Itoa(n)+"/proof", &pf)
		if err != nil {
			return nil, err
		}
		standing := own.standing(n)
		if status == http.StatusNotFound {
			if standing != nil {
				bad("round %d: the council had a proposal (round %d's) but the server has no proof of it", n, own.roundOf(n))
			} else if only >= 0 {
				bad("round %d: the council had no proposal in it", n)
			} else {
				fmt.Fprintf(stdout, "ok: round %d: no proposal of the council's (none sent yet)\n", n)
			}
			continue
		}
		if p := v.check(n, plan.CouncilID, pf, entries[n], standing); p != "" {
			bad("round %d: %s", n, p)
			continue
		}
		fmt.Fprintf(stdout, "ok: round %d: the council's proposal is in round %d's root %s (leaf %d of %d)\n", n, n, pf.Root, pf.Index, pf.Size)
	}
	return problems, nil
}

// check checks one proof: its leaf is the council's, of round n,
// canonical, includes the proposal the council sent, and is in the
// published root by the inclusion proof.
func (v *verifier) check(n int, council string, pf wire.Proof, root proof.RootEntry, standing json.RawMessage) string {
	data, err := base64.StdEncoding.DecodeString(pf.Leaf)
	if err != nil {
		return "the leaf is not base64"
	}
	leaf, err := proof.ParseLeaf(data)
	if err != nil {
		return err.Error()
	}
	if leaf.Council != council || leaf.Round != n {
		return fmt.Sprintf("the leaf is council %q's of round %d, not %q's of round %d", leaf.Council, leaf.Round, council, n)
	}
	if pf.Root != base64.StdEncoding.EncodeToString(root.Root) || pf.Size != root.Size {
		return "the proof's root or size is not the published one"
	}
	if pf.Index < 0 || pf.Index >= pf.Size {
		return fmt.Sprintf("index %d is outside a tree of %d leaves", pf.Index, pf.Size)
	}
	path := make([][]byte, len(pf.Proof))
	for i, h := range pf.Proof {
		if path[i], err = base64.StdEncoding.DecodeString(h); err != nil {
			return "a proof hash is not base64"
		}
	}
	if err := proof.VerifyInclusion(data, uint64(pf.Index), uint64(pf.Size), path, root.Root); err != nil {
		return "the leaf is not in the published root: " + err.Error()
	}
	if standing == nil {
		return "the root counts a proposal for the council, which sent none"
	}
	if !proof.SameJSON(leaf.Proposal, standing) {
		return fmt.Sprintf("the root counts %s, the council sent %s", leaf.Proposal, standing)
	}
	return ""
}

// history is a council's accepted proposals in the order they were
// stored.
type history []wire.Proposal

// ownProposals reads every page of the council's own proposals.
func (v *verifier) ownProposals() (history, error) {
	var out history
	q := ""
	for {
		var page wire.Proposals
		if _, err := v.get("/proposals"+q, &page); err != nil {
			return nil, err
		}
		for _, p := range page.Proposals {
			if p.Status == "accepted" {
				out = append(out, p)
			}
		}
		if page.Next == nil {
			return out, nil
		}
		q = fmt.Sprintf("?after=%d&afterRejected=%d", page.Next.After, page.Next.AfterRejected)
	}
}

// standing returns the proposal standing for the council in round n: its
// last accepted one of a round up to n (nil if none).
func (h history) standing(n int) json.RawMessage {
	var out json.RawMessage
	for _, p := range h {
		if p.Round <= n {
			out = p.Proposal
		}
	}
	return out
}

// roundOf returns the round of the proposal standing in round n.
func (h history) roundOf(n int) int {
	r := -1
	for _, p := range h {
		if p.Round <= n {
			r = p.Round
		}
	}
	return r
}

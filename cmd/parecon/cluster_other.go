//go:build !linux

package main

import "syscall"

// childAttr is nil where there is no parent-death signal: the cluster's
// servers are stopped by the cluster when it exits normally.
func childAttr() *syscall.SysProcAttr { return nil }

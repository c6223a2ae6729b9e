package main

import "syscall"

// childAttr makes a cluster's server end with the cluster process, even
// if that is killed (Linux's parent-death signal).
func childAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM} }

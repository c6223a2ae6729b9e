package planning

// SetDebug turns the solver's tracing on or off (tests only).
func SetDebug(on bool) { debug = on }

// Package wire is the live protocol's schema: one Go type per websocket
// frame (server → client and client → server) and per HTTP request and
// response body, with the field names docs/spec/protocol.md and
// docs/protocol.md give them. The server sends nothing that is not one of
// these types (Encode writes a server frame), and reads client frames only
// through DecodeClient. A test checks docs/protocol.md against these
// types, field by field.
package wire

//go:build !js

package jsonlite

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

//go:build tools

package tools

import _ "github.com/googleapis/api-linter/v2/cmd/api-linter"

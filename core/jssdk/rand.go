package jssdk

import "crypto/rand"

var defaultRand = rand.Reader

// ExpectErrorBody: checks an error answer of the classic API against what its
// Case demands. The body is read with a small JSON reader of its own, since
// the server's reader is part of what is under test.
#pragma once

#include "e2e/hostile_case.h"
#include "e2e/http_client.h"

namespace spinlog::e2e::hostile {

// Checks one answered error (r.status is not kClosed) and reports through
// gtest: Content-Type "application/json; charset=utf-8"; a UTF-8 body that is
// exactly {"code":<r.status>,"errors":[<strings>],"result":null} in that
// order; when c.fields is non-empty, each of them named by exactly one error
// ("<field>: <problem>") and no other; each of c.contains in some error; for
// a 405, an Allow header listing c.allow (exactly "POST" when that is all).
// A fatal failure ends the check early.
void ExpectErrorBody(const Case& c, const HttpResponse& r);

}  // namespace spinlog::e2e::hostile

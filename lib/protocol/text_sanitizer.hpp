// Makes untrusted text safe to show on another user's terminal: valid UTF-8 only, and no
// control characters that a terminal would act on.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chatroom {

// Appends `text` to `out` with each byte that is not part of a valid UTF-8 sequence replaced by
// U+FFFD, and every C0 control except TAB, DEL and every C1 control (U+0080..U+009F, which
// some terminals read as ESC-sequences) dropped. Overlong forms, surrogates and code points
// past U+10FFFF count as invalid.
void append_sanitized(std::string& out, std::string_view text);

[[nodiscard]] std::string sanitized(std::string_view text);

// `text` sanitised and cut to at most `max_bytes` on a character boundary: a bounded field
// (a topic, an away message, a reason) from untrusted words. Sanitising may grow the text
// (U+FFFD for a bad byte), so the cut comes after it.
[[nodiscard]] std::string sanitized_within(std::string_view text, std::size_t max_bytes);

// How many bytes of `text`, at most `limit`, end on a UTF-8 character boundary, so that a
// cut never splits a character in two (`limit` itself if `text` starts with 'limit'
// continuation bytes, which sanitised text never does).
[[nodiscard]] std::size_t utf8_prefix_length(std::string_view text, std::size_t limit);

// For showing untrusted text on our own terminal: like append_sanitized, but what would be
// dropped is made visible instead, harmlessly: C0 controls in caret notation ("^[" for ESC),
// DEL as "^?", C1 controls as "<U+009B>"; TAB stays a TAB.
void append_visible(std::string& out, std::string_view text);

}  // namespace chatroom

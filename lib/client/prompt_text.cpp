// append_visible makes the text valid UTF-8 without controls; each character is then checked
// against the locale, which is what libedit will decode it with.
#include "client/prompt_text.hpp"

#include <cwchar>
#include <cwctype>

#include "protocol/text_sanitizer.hpp"

namespace chatroom {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// Printable, but they reorder what follows them on terminals that do bidirectional text: a
// prompt must read as what it is.
bool is_bidi_control(wchar_t character) {
  return character == 0x061C || character == 0x200E || character == 0x200F ||
         (character >= 0x202A && character <= 0x202E) || (character >= 0x2066 && character <= 0x2069);
}

}  // namespace

std::string prompt_text(std::string_view text, std::size_t max_characters) {
  std::string visible;
  append_visible(visible, text);
  const std::string_view replacement = MB_CUR_MAX > 1 ? kReplacementCharacter : std::string_view("?");
  std::string shown;
  std::size_t characters = 0;
  std::mbstate_t state{};
  std::string_view rest = visible;
  while (!rest.empty()) {
    if (characters == max_characters) {
      shown += "...";
      break;
    }
    wchar_t character = 0;
    const std::size_t length = std::mbrtowc(&character, rest.data(), rest.size(), &state);
    if (length == 0 || length > rest.size()) {  // undecodable here (the C locale and non-ASCII)
      state = {};
      shown += replacement;
      rest.remove_prefix(1);
    } else {
      if (character == L'\t') {
        shown += ' ';
      } else if (std::iswprint(static_cast<wint_t>(character)) == 0 || is_bidi_control(character)) {
        shown += replacement;
      } else {
        shown += rest.substr(0, length);
      }
      rest.remove_prefix(length);
    }
    ++characters;
  }
  return shown;
}

}  // namespace chatroom

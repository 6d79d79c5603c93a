// setlocale, then a UTF-8 LC_CTYPE if the environment's is not.
#include "client/utf8_locale.hpp"

#include <langinfo.h>

#include <clocale>
#include <cstring>
#include <initializer_list>

namespace chatroom {
namespace {

bool character_type_is_utf8() {
  const char* codeset = ::nl_langinfo(CODESET);
  return codeset != nullptr && (std::strcmp(codeset, "UTF-8") == 0 || std::strcmp(codeset, "utf8") == 0);
}

}  // namespace

bool use_utf8_characters() {
  std::setlocale(LC_ALL, "");
  if (character_type_is_utf8()) return true;
  // C.UTF-8 is built into glibc; the others are for systems that generate only named locales.
  for (const char* name : {"C.UTF-8", "C.utf8", "en_US.UTF-8"}) {
    if (std::setlocale(LC_CTYPE, name) != nullptr && character_type_is_utf8()) return true;
  }
  return false;
}

}  // namespace chatroom

// The terminal client's character type: UTF-8, whatever the user's locale says. The wire is
// UTF-8, and libedit reads keys as characters of the locale's encoding, so in the C locale it
// drops every byte above 127 that the user types (and cannot move over or delete a multibyte
// character as one).
#pragma once

namespace chatroom {

// Takes the user's locale from the environment, then, unless its character type is already
// UTF-8, switches the character type alone to C.UTF-8 (messages, numbers and collation stay
// the user's). False if no UTF-8 character type is available.
bool use_utf8_characters();

}  // namespace chatroom

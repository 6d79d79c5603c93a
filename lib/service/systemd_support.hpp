// Whether libsystemd is compiled in (meson option -Dsystemd).
#pragma once

#ifndef CHATROOM_HAVE_SYSTEMD
#define CHATROOM_HAVE_SYSTEMD 0
#endif

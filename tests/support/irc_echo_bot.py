#!/usr/bin/python3
"""A bot written with python3-irc (Debian's), as bot authors write them: it joins CHANNEL, says
"ready", answers "echo TEXT" with TEXT in capitals, and quits ("asked to") when someone tells
it "quit" in private.

Usage: irc_echo_bot.py HOST PORT NICK CHANNEL
"""
import sys

import irc.client


def main():
    host, port, nick, channel = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    reactor = irc.client.IRC()  # python3-irc 8.5 (Debian 12): IRC, not Reactor
    connection = reactor.server().connect(host, port, nick)

    def on_welcome(conn, event):
        conn.join(channel)

    def on_join(conn, event):
        if irc.client.NickMask(event.source).nick == conn.get_nickname() and event.target.lower() == channel.lower():
            conn.privmsg(channel, "ready")

    def on_pubmsg(conn, event):
        text = event.arguments[0]
        if text.startswith("echo "):
            conn.privmsg(event.target, text[len("echo "):].upper())

    def on_privmsg(conn, event):
        if event.arguments[0] == "quit":
            conn.quit("asked to")

    def on_disconnect(conn, event):
        sys.exit(0)

    connection.add_global_handler("welcome", on_welcome)
    connection.add_global_handler("join", on_join)
    connection.add_global_handler("pubmsg", on_pubmsg)
    connection.add_global_handler("privmsg", on_privmsg)
    connection.add_global_handler("disconnect", on_disconnect)
    # Bounded: a test that goes wrong still ends.
    for _ in range(300):
        reactor.process_once(timeout=0.1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The web client in a real browser: headless Chromium, driven through chromium-driver by
python3-selenium, against a real chatroomd, with a raw TCP client in the same room.

usage: browser_chat_test.py SCREENSHOT.png      (CHATROOMD names the daemon binary)

Exit status 0 when every check passed, 1 on the first failure, 77 (a skip, to meson) only
when Chromium cannot be started, with the reason printed.
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

SKIP = 77
TIMEOUT_S = 10


class Failure(Exception):
    pass


def wait_until(what, condition, timeout=TIMEOUT_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = condition()
        except Exception:  # the page may be mid-update: look again
            result = None
        if result:
            return result
        time.sleep(0.05)
    raise Failure(f"timed out waiting for {what}")


class Daemon:
    def __init__(self, workdir, http_port=0):
        self.port_file = os.path.join(workdir, f"port-{time.monotonic_ns()}")
        self.http_port_file = self.port_file + "-http"
        self.log = open(self.port_file + ".log", "w+")
        self.process = subprocess.Popen(
            [os.environ["CHATROOMD"], "--port", "0", "--port-file", self.port_file, "--http-port", str(http_port),
             "--http-port-file", self.http_port_file, "--no-console", "--rate-limit", "0",
             "--announce-max-room", "200", "--history", "0"],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_until("chatroomd to listen", lambda: os.path.exists(self.http_port_file) and os.path.exists(self.port_file))
        self.port = int(open(self.port_file).read())
        self.http_port = int(open(self.http_port_file).read())

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=5)


class TcpClient:
    def __init__(self, port):
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S)
        self.name = "%s:%d" % self.socket.getsockname()[:2]
        self.buffer = b""
        self.read_line()  # the welcome

    def send(self, text):
        self.socket.sendall(text.encode() + b"\n")

    def read_line(self):
        while b"\n" not in self.buffer:
            chunk = self.socket.recv(65536)
            if not chunk:
                raise Failure("the TCP client was disconnected")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode(errors="replace")

    def wait_for_line(self, wanted):
        seen = []
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            line = self.read_line()
            if line == wanted:
                return
            seen.append(line)
        raise Failure(f"the TCP client never got {wanted!r}; it got {seen!r}")


def start_browser(profile_dir):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as missing:
        print(f"SKIP: python3-selenium is not installed ({missing})")
        sys.exit(SKIP)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1000,700", f"--user-data-dir={profile_dir}", "--no-first-run",
                     "--disable-extensions", "--disable-background-networking", "--disable-sync"):
        options.add_argument(argument)
    try:
        return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    except Exception as failure:  # no binary, no display libraries, a driver that does not match ...
        print(f"SKIP: Chromium could not be started: {str(failure).strip().splitlines()[0]}")
        sys.exit(SKIP)


def type_line(browser, text):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    field = browser.find_element(By.ID, "line")
    field.send_keys(text)
    field.send_keys(Keys.ENTER)


def message_texts(browser):
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#messages li'), li => li.textContent);")


def wait_for_message(browser, fragment):
    return wait_until(f"the page to show a line with {fragment!r}",
                      lambda: [text for text in message_texts(browser) if fragment in text])


def text_of(browser, element_id):
    return browser.execute_script(f"return document.getElementById('{element_id}').textContent;")


def run(screenshot, workdir):
    from selenium.webdriver.common.by import By

    daemon = Daemon(workdir)
    browser = None
    try:
        tcp = TcpClient(daemon.port)
        browser = start_browser(os.path.join(workdir, "profile"))
        browser.get(f"http://127.0.0.1:{daemon.http_port}/")
        wait_until("the page to connect", lambda: "connected" == text_of(browser, "connection"))
        wait_for_message(browser, "connected to chat room at : 127.0.0.1:")
        print("ok: the page loaded and connected over WebSocket")

        type_line(browser, "\\nick webuser")
        wait_until("the nickname to show", lambda: text_of(browser, "nickname") == "webuser")
        type_line(browser, "\\join den")
        wait_until("the room to show", lambda: text_of(browser, "room") == "den")
        tcp.send("\\nick tcpuser")
        tcp.send("\\join den")
        tcp.wait_for_line("* you joined den (2 here)")
        print("ok: the page took a nickname and joined a room")

        type_line(browser, "hello from chromium")
        tcp.wait_for_line("<webuser>:\thello from chromium")
        print("ok: a line typed in the browser reached the TCP client")
        tcp.send("hello from tcp")
        wait_for_message(browser, "hello from tcp")
        print("ok: a line from the TCP client shows in the browser")

        # Typed as a user would, beyond ASCII (chromedriver types the Basic Multilingual Plane).
        type_line(browser, "grüße ✓ 日本語")
        tcp.wait_for_line("<webuser>:\tgrüße ✓ 日本語")
        tcp.send("café 😀 ok")
        wait_for_message(browser, "café 😀 ok")
        print("ok: accents, symbols, CJK and an emoji cross both ways")

        hostile = '<img src=x onerror="document.title=\'pwned\'"><script>document.title=\'pwned\'</script>'
        tcp.send(hostile)
        tcp.send("\x1b[31mred?\x1b[0m \x1b]0;title\x07 done")
        shown = wait_for_message(browser, "<img src=x onerror=")[0]
        if hostile not in shown:
            raise Failure(f"the hostile line was not shown as its text: {shown!r}")
        wait_for_message(browser, "red?")
        images = browser.find_elements(By.CSS_SELECTOR, "#messages img, #messages script")
        if images or browser.title == "pwned":
            raise Failure("a chat line was rendered as HTML")
        escaped = [text for text in message_texts(browser) if "red?" in text][0]
        if "\x1b" in escaped or "\x07" in escaped:
            raise Failure(f"an escape sequence reached the page raw: {escaped!r}")
        print("ok: a hostile line and escape sequences render as text")

        browser.find_element(By.ID, "who-toggle").click()
        wait_until("the who panel to list both", lambda: {"webuser", "tcpuser"} <= set(
            browser.execute_script("return Array.from(document.querySelectorAll('#who-list li'), li => li.textContent);")))
        print("ok: the who panel lists the room")

        tcp.send("welcome to the den! \\msg works from the browser too")
        tcp.send("\\msg webuser psst: the page shows private lines in their own colour")
        private = wait_until("the private message", lambda: browser.find_elements(By.CSS_SELECTOR, "#messages li.private"))
        if "psst" not in private[-1].text:
            raise Failure(f"the private message is not styled as one: {private[-1].text!r}")
        type_line(browser, "\\nosuchcommand")
        errors = wait_until("the error", lambda: browser.find_elements(By.CSS_SELECTOR, "#messages li.error"))
        if "unknown command" not in errors[-1].text:
            raise Failure(f"the error is not styled as one: {errors[-1].text!r}")
        print("ok: private messages and errors are styled apart")

        os.makedirs(os.path.dirname(os.path.abspath(screenshot)), exist_ok=True)
        if not browser.save_screenshot(screenshot):
            raise Failure(f"could not save the screenshot to {screenshot}")
        print(f"ok: screenshot saved to {screenshot}")

        # Thousands of lines: the page keeps up and holds at most its cap in the DOM.
        for i in range(2500):
            tcp.socket.sendall(f"burst {i}\n".encode())
        wait_for_message(browser, "burst 2499")
        held = browser.execute_script("return document.querySelectorAll('#messages li').length;")
        if held > 2000:
            raise Failure(f"the message list holds {held} lines, past its cap of 2000")
        print(f"ok: after 2,500 lines the page holds {held}")

        # A phone-sized screen: the input and the send button are on screen, nothing scrolls sideways.
        browser.set_window_size(390, 844)
        fits = browser.execute_script(
            "const button = document.querySelector('#compose button').getBoundingClientRect();"
            "const field = document.getElementById('line').getBoundingClientRect();"
            "return button.right <= window.innerWidth && field.width > 150 && "
            "document.documentElement.scrollWidth <= window.innerWidth;")
        if not fits:
            raise Failure("the page does not fit a 390-pixel-wide screen")
        browser.set_window_size(1000, 700)
        print("ok: the page fits a phone-sized screen")

        # The server goes away and comes back: the page shows it, retries, and takes its name back.
        http_port = daemon.http_port
        daemon.stop()
        wait_for_message(browser, "\\close")
        wait_until("the page to show it is disconnected",
                   lambda: text_of(browser, "connection").startswith("disconnected"))
        daemon = Daemon(workdir, http_port)
        wait_until("the page to reconnect", lambda: text_of(browser, "connection") == "connected", timeout=20)
        wait_for_message(browser, "* you are now known as webuser")
        print("ok: the page reconnected after a restart and took its nickname back")
        return 0
    except Failure as failure:
        print(f"FAIL: {failure}")
        if browser is not None:
            print("the page shows:", *message_texts(browser)[-20:], sep="\n  ")
        daemon.log.seek(0)
        print("chatroomd's log:\n" + daemon.log.read()[-3000:])
        return 1
    finally:
        if browser is not None:
            browser.quit()
        daemon.stop()


def main():
    if len(sys.argv) != 2 or "CHATROOMD" not in os.environ:
        print(__doc__, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="chatroom-browser-") as workdir:
        return run(sys.argv[1], workdir)


if __name__ == "__main__":
    sys.exit(main())

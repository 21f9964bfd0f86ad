"""What `tensorbox up` refuses: other source addresses, taken ports, bad secrets and flags; and
key-only SSH (login with the key; refused with a password, as root, and from elsewhere)."""
import http.cookiejar
import os
import urllib.error
import urllib.parse
import urllib.request
import pwd
import socket
import subprocess

import pytest

from conftest import ENV_PYTHON, free_port, parse_prometheus
from conftest import http as request


def connect_from(source, port):
    """What a client bound to `source` gets from 127.0.0.1:port: the reply bytes, or the error."""
    s = socket.socket()
    s.settimeout(5)
    try:
        s.bind((source, 0))
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
        return s.recv(100)
    except OSError as e:
        return e
    finally:
        s.close()


def test_allow_from_refuses_and_logs_other_source_addresses(up):
    u = up("--allow-from", "127.0.0.1/32")
    u.wait_ready()
    assert connect_from("127.0.0.1", u.health_port).startswith(b"HTTP/1.1 200")
    for port in (u.port, u.health_port):
        got = connect_from("127.0.0.2", port)
        assert isinstance(got, ConnectionResetError) or got == b"", got
    # Each relay logs from its own thread, after it closed the connection: wait for both lines.
    for service in ("jupyter", "health"):
        u.wait_log(lambda e: e["msg"].startswith("connection refused") and e["fields"]["service"] == service)
    refused = [e for e in u.log() if e["msg"].startswith("connection refused")]
    assert {e["fields"]["service"] for e in refused} == {"jupyter", "health"}
    assert all(e["fields"]["peer"] == "127.0.0.2" for e in refused)
    m = parse_prometheus(request(u.health("/metrics"))[1])
    assert m[("tensorbox_relay_connections_total", frozenset({("service", "jupyter"), ("result", "refused")}))] == 1


def test_a_taken_port_stops_start_up_and_names_the_holder(up):
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        u = up("--port", str(port))
        assert u.wait_exit() == 4
        msg = u.log()[-1]["msg"]
        assert "port %d on 127.0.0.1 is already in use by pid %d" % (port, os.getpid()) in msg, msg
    finally:
        holder.close()


@pytest.mark.parametrize("args, message", [
    (["--allow-from", "10.0.0.0/33"], "'10.0.0.0/33' has a prefix length outside 0..32"),
    (["--allow-from", "nonsense"], "'nonsense' is not an address or CIDR"),
    (["--token-file", "/nonexistent/token"], "--token-file /nonexistent/token: cannot read the file"),
    (["--ssh"], "--ssh needs --authorized-keys FILE"),
    (["--python", "/nonexistent/python"], "--python '/nonexistent/python': no such executable"),
    (["--ip", "not-an-ip"], "--ip 'not-an-ip' is not an IP address"),
    (["--port", "70000"], "port 70000 is outside 1..65535"),
    (["--user", "0"], "services never run as root"),
])
def test_bad_flags_exit_2_with_the_reason(up, args, message):
    if args[0] == "--user" and os.geteuid() != 0:
        pytest.skip("--user applies only when started as root")
    u = up(*args)
    assert u.wait_exit() == 2
    assert message in u.log()[-1]["msg"], u.log_text()


def test_secret_files_are_checked(up, base):
    short = os.path.join(base, "short-token")
    with open(short, "w") as f:
        f.write("abc\n")
    plain = os.path.join(base, "plain-password")
    with open(plain, "w") as f:
        f.write("hunter2\n")
    u = up("--token-file", short)
    assert u.wait_exit() == 2 and "use at least 16" in u.log()[-1]["msg"]
    u = up("--password-file", plain)
    assert u.wait_exit() == 2 and "expected a hashed password" in u.log()[-1]["msg"]
    u = up("--token-file", short, "--password-file", plain)
    assert u.wait_exit() == 2 and "choose one" in u.log()[-1]["msg"]


def test_token_file_is_used_and_never_printed(up, base):
    token = "f" * 20 + "0123456789abcdef"
    path = os.path.join(base, "token")
    with open(path, "w") as f:
        f.write(token + "\n")
    os.chmod(path, 0o600)
    u = up("--token-file", path)
    u.wait_ready()
    assert u.token is None  # the ready line has the URL without the token
    assert token not in u.log_text()
    assert request(u.url("/api/contents"), token)[0] == 200
    assert request(u.url("/api/contents"))[0] == 403


def test_password_file_logs_in_with_the_password(up, base):
    hashed = subprocess.run([ENV_PYTHON, "-c", "from jupyter_server.auth import passwd; print(passwd('s3cret-pw'))"],
                            check=True, capture_output=True, text=True).stdout.strip()
    path = os.path.join(base, "password")
    with open(path, "w") as f:
        f.write(hashed + "\n")
    u = up("--password-file", path)
    u.wait_ready()
    assert request(u.url("/api/contents"))[0] == 403
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(u.url("/login")).read()  # sets the _xsrf cookie
    xsrf = next(c.value for c in jar if c.name == "_xsrf")
    for password, ok in (("wrong", False), ("s3cret-pw", True)):
        data = urllib.parse.urlencode({"password": password, "_xsrf": xsrf}).encode()
        try:
            opener.open(u.url("/login"), data).read()
        except urllib.error.HTTPError as e:
            assert not ok and e.code == 401, e.code
        try:
            status = opener.open(u.url("/api/contents")).status
        except urllib.error.HTTPError as e:
            status = e.code
        assert (status == 200) == ok, (password, status)


def ssh(key, user, port, *extra, source=None, command="id -u"):
    args = ["ssh", "-F", "/dev/null", "-p", str(port), "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
            "-o", "LogLevel=ERROR"]
    if key:
        args += ["-i", key, "-o", "IdentitiesOnly=yes"]
    if source:
        args += ["-b", source]
    return subprocess.run(args + list(extra) + ["%s@127.0.0.1" % user, command],
                          capture_output=True, text=True, timeout=60)


def test_ssh_is_key_only_and_keeps_its_host_key(up, base):
    key = os.path.join(base, "id_ed25519")
    if not os.path.exists(key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
    ws = os.path.join(base, "ssh-workspace")
    ssh_port = free_port()
    args = ("--ssh", "--ssh-port", str(ssh_port), "--authorized-keys", key + ".pub", "--allow-from", "127.0.0.1/32")
    u = up(*args, workspace=ws)
    u.wait_ready()
    uid = 1000 if os.geteuid() == 0 else os.geteuid()
    user = pwd.getpwuid(uid).pw_name
    ok = ssh(key, user, ssh_port)
    assert ok.returncode == 0 and ok.stdout.strip() == str(uid), ok.stderr + u.log_text()
    # No passwords, no root, no other source address.
    pw = ssh(None, user, ssh_port, "-o", "PreferredAuthentications=password,keyboard-interactive",
             "-o", "PubkeyAuthentication=no")
    assert pw.returncode == 255 and "Permission denied (publickey)" in pw.stderr, pw.stderr
    root = ssh(key, "root", ssh_port)
    assert root.returncode == 255 and "Permission denied" in root.stderr, root.stderr
    other = ssh(key, user, ssh_port, source="127.0.0.2")
    assert other.returncode == 255, other
    assert u.wait_log(lambda e: e["msg"].startswith("connection refused") and e["fields"]["service"] == "sshd")
    host_key = open(os.path.join(ws, ".tensorbox", "ssh", "ssh_host_ed25519_key.pub")).read()
    u.stop()
    u2 = up(*args, workspace=ws)
    u2.wait_ready()
    assert open(os.path.join(ws, ".tensorbox", "ssh", "ssh_host_ed25519_key.pub")).read() == host_key
    again = ssh(key, user, ssh_port)
    assert again.returncode == 0, again.stderr

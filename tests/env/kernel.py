"""Runs code in a Jupyter kernel through the server's REST API and kernel WebSocket (the way
JupyterLab does), so every byte passes through `tensorbox up`'s relay."""
import json
import os
import uuid

import websocket  # websocket-client

from netutil import http


class Kernel:
    def __init__(self, up):
        self.up = up
        status, body = http(up.url("/api/kernels"), up.token, "POST", {"name": "python3"})
        assert status == 201, (status, body)
        self.id = json.loads(body)["id"]
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            "ws://127.0.0.1:%d/api/kernels/%s/channels?session_id=%s" % (up.port, self.id, self.session),
            header=["Authorization: token " + up.token], timeout=600)

    def execute(self, code):
        """(stdout text, error or None) of running `code`."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "test", "session": self.session,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        }))
        out, error, replied, idle = [], None, False, False
        while not (replied and idle):
            msg = json.loads(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                error = "%s: %s" % (msg["content"]["ename"], msg["content"]["evalue"])
            elif kind == "execute_reply":
                replied = True
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        return "".join(out), error

    def close(self):
        self.ws.close()


def run_notebook(kernel, path):
    """Runs the code cells of the notebook at `path` in order; returns their printed text. Fails
    the test at the first cell that raises."""
    with open(path) as f:
        cells = ["".join(c["source"]) for c in json.load(f)["cells"] if c["cell_type"] == "code"]
    text = ""
    for cell in cells:
        out, error = kernel.execute(cell)
        assert error is None, error + "\n" + out
        text += out
    return text


SEED_NOTEBOOK = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                             "examples", "notebooks", "seed.ipynb")

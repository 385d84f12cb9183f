#!/usr/bin/env python3
"""Boots the WebVirt test guest ISO under QEMU (TCG) and checks its contract by
reading its serial port and QMP.  Run through smoke.sh, which builds the guest first:

    smoke.py OUTPUT_FOLDER_OF_BUILD_SH [--keep]

Standard library only.  Prints one line per check and the boot time to READY; exits
non-zero on the first failure (the serial log is then printed in full).
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time


class Failure(Exception):
    pass


class Serial:
    """The guest's ttyS0 through QEMU's chardev socket: a reader thread collects all
    output; expect() searches what arrived after a given position."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.text = ""
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                return
            with self.cond:
                self.text += data.decode("utf-8", "replace")
                self.cond.notify_all()

    def mark(self):
        with self.cond:
            return len(self.text)

    def expect(self, pattern, timeout, since=0):
        """Waits for regex pattern in the output after position since; returns the
        match (positions are absolute)."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                m = rx.search(self.text, since)
                if m:
                    return m
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failure(f"serial: no {pattern!r} within {timeout} s")
                self.cond.wait(left)

    def send(self, line):
        self.sock.sendall(line.encode() + b"\n")


class Qmp:
    """Minimal QMP client: one reader thread; replies matched by id, events kept."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.path = path
        self.file = self.sock.makefile("rb")
        greeting = json.loads(self.file.readline())
        if "QMP" not in greeting:
            raise Failure(f"qmp: unexpected greeting {greeting}")
        self.events = []
        self.replies = {}
        self.cond = threading.Condition()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.cmd("qmp_capabilities")

    def _read(self):
        try:
            for line in self.file:
                msg = json.loads(line)
                with self.cond:
                    if "event" in msg:
                        self.events.append(msg)
                    elif "id" in msg:
                        self.replies[msg["id"]] = msg
                    self.cond.notify_all()
        except OSError:  # QEMU went away (quit)
            pass

    def cmd(self, name, timeout=30, **args):
        with self.cond:
            self.next_id += 1
            cid = self.next_id
        msg = {"execute": name, "id": cid}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\r\n")
        deadline = time.monotonic() + timeout
        with self.cond:
            while cid not in self.replies:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failure(f"qmp: no reply to {name}")
                self.cond.wait(left)
            reply = self.replies.pop(cid)
        if "error" in reply:
            raise Failure(f"qmp: {name}: {reply['error']}")
        return reply["return"]

    def event(self, name, timeout, since=0):
        """Waits for event name among the events after index since; returns it."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for ev in self.events[since:]:
                    if ev["event"] == name:
                        return ev
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failure(f"qmp: no {name} event within {timeout} s")
                self.cond.wait(left)

    def mark(self):
        with self.cond:
            return len(self.events)


def qcodes(text):
    """QMP send-key qcodes typing text on a US layout (letters, digits, '-', ' ', '\\n')."""
    names = {"-": "minus", " ": "spc", "\n": "ret"}
    return [names.get(c, c) for c in text]


def check(msg):
    print(f"ok   {msg}", flush=True)


class Vm:
    """One QEMU running the guest ISO under TCG, started paused (-S) so that the serial
    socket is connected before the guest prints anything and boot time counts from
    `cont`.  Files live in folder (serial-NAME.log is kept there)."""

    def __init__(self, folder, name, iso, disk):
        self.serial = None
        sock, qmp_sock = (os.path.join(folder, f"{n}-{name}.sock") for n in ("serial", "qmp"))
        log = os.path.join(folder, f"serial-{name}.log")
        # TCG only: /dev/kvm on these machines is missing or a broken nested KVM, and
        # QEMU aborts rather than falling back when KVM initialises and then fails.
        self.proc = subprocess.Popen([
            "qemu-system-x86_64", "-machine", "q35", "-accel", "tcg", "-cpu", "max", "-m", "256",
            "-nodefaults", "-no-user-config", "-display", "none", "-device", "VGA", "-S",
            "-drive", f"if=none,id=cd0,media=cdrom,file={iso},format=raw,readonly=on",
            "-device", "ide-cd,bus=ide.0,drive=cd0,bootindex=1",
            "-blockdev", f"driver=file,filename={disk},node-name=f0",
            "-blockdev", "driver=qcow2,file=f0,node-name=disk0",
            "-device", "virtio-blk-pci,drive=disk0",
            "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0",
            "-chardev", f"socket,id=ser0,path={sock},server=on,wait=off,logfile={log}",
            "-serial", "chardev:ser0",
            "-qmp", f"unix:{qmp_sock},server=on,wait=off",
            "-no-shutdown",
        ])
        deadline = time.monotonic() + 30
        while not (os.path.exists(sock) and os.path.exists(qmp_sock)):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise Failure("QEMU did not start")
            time.sleep(0.05)
        self.qmp = Qmp(qmp_sock)
        self.serial = Serial(sock)

    def boot(self):
        """Starts the guest and waits for READY; returns (seconds, match)."""
        t0 = time.monotonic()
        self.qmp.cmd("cont")
        m = self.serial.expect(r"WEBVIRT-GUEST-READY\r?\n", 120)
        return time.monotonic() - t0, m

    def run(self, command, pattern, timeout=60):
        """Writes command to ttyS0, waits for pattern in what follows."""
        pos = self.serial.mark()
        self.serial.send(command)
        return self.serial.expect(pattern, timeout, pos)

    def powerdown(self):
        """system_powerdown; checks the guest powers itself off.  Returns seconds."""
        pos, ev = self.serial.mark(), self.qmp.mark()
        t0 = time.monotonic()
        self.qmp.cmd("system_powerdown")
        self.qmp.event("POWERDOWN", 10, ev)
        self.serial.expect(r"WEBVIRT-GUEST-POWEROFF\r?\n", 30, pos)
        shutdown = self.qmp.event("SHUTDOWN", 30, ev)
        if shutdown["data"] != {"guest": True, "reason": "guest-shutdown"}:
            raise Failure(f"SHUTDOWN data {shutdown['data']}")
        status = self.qmp.cmd("query-status")["status"]
        if status != "shutdown":
            raise Failure(f"status {status}")
        return time.monotonic() - t0

    def quit(self):
        self.qmp.cmd("quit")
        self.proc.wait(30)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def full_run(vm):
    """Everything but the early power button; returns the boot time to READY."""
    serial, qmp, run = vm.serial, vm.qmp, vm.run

    boot_s, ready = vm.boot()
    check(f"WEBVIRT-GUEST-READY after {boot_s:.1f} s (TCG, from cont)")
    # A command written right after READY, before the shell's prompt, must not be lost.
    run("webvirt-disk-read", r"WEBVIRT-DISK-MARKER none\r?\n", 30)
    check("command sent right at READY runs; blank disk: WEBVIRT-DISK-MARKER none")
    serial.expect(r"WEBVIRT-GUEST-NICS eth0\r?\n", 1)
    check("WEBVIRT-GUEST-NICS eth0")
    serial.expect(r"webvirt# ", 30, ready.end())
    check("prompt 'webvirt# ' on ttyS0")
    if "job control turned off" in serial.text or "can't access tty" in serial.text:
        raise Failure("shell without job control")

    # --- disk helpers ---
    run("webvirt-disk-write hello", r"WEBVIRT-DISK-WRITTEN hello\r?\n")
    check("WEBVIRT-DISK-WRITTEN hello")
    run("webvirt-disk-read", r"WEBVIRT-DISK-MARKER hello\r?\n")
    check("WEBVIRT-DISK-MARKER hello (same boot)")

    # --- counter, and job control on ttyS0 ---
    pos = serial.mark()
    serial.send("webvirt-counter &")
    serial.expect(r"WEBVIRT-COUNTER 1\r?\n", 10, pos)
    t1 = time.monotonic()
    serial.expect(r"WEBVIRT-COUNTER 3\r?\n", 10, pos)
    check(f"WEBVIRT-COUNTER 1..3 ({time.monotonic() - t1:.1f} s from 1 to 3)")
    run("jobs", r"\[1\]\+ +Running +webvirt-counter", 10)
    pos = serial.mark()
    serial.send("kill %1")
    serial.expect(r"Terminated +webvirt-counter", 10, pos)
    time.sleep(2.5)
    last = re.findall(r"WEBVIRT-COUNTER (\d+)", serial.text[pos:])
    time.sleep(2.5)
    if re.findall(r"WEBVIRT-COUNTER (\d+)", serial.text[pos:]) != last:
        raise Failure("webvirt-counter still running after kill %1")
    check("job control on ttyS0: jobs, kill %1 stops the counter")

    # --- the ttyS0 shell comes back after exit, without a second READY ---
    pos = serial.mark()
    serial.send("exit")
    serial.expect(r"webvirt# ", 30, pos)
    run("echo shell-$((6 * 7))", r"shell-42\r?\n", 10)
    if "WEBVIRT-GUEST-READY" in serial.text[pos:]:
        raise Failure("READY printed again by the respawned shell")
    check("ttyS0 shell respawns after exit, READY not repeated")

    # --- tty1 (the VGA console VNC shows): type a command, result on ttyS0 ---
    pos = serial.mark()
    for key in qcodes("webvirt-disk-read\n"):
        qmp.cmd("send-key", keys=[{"type": "qcode", "data": key}])
    serial.expect(r"WEBVIRT-DISK-MARKER hello\r?\n", 30, pos)
    time.sleep(1)
    if serial.text[pos:].count("WEBVIRT-DISK-MARKER") != 1:
        raise Failure("marker line printed more than once")
    shot = os.path.join(os.path.dirname(vm.qmp.path), "tty1.png")
    qmp.cmd("screendump", filename=shot, format="png")
    check(f"tty1 shell takes keys, helper output reaches ttyS0 once; screendump {os.path.getsize(shot)} bytes")

    # --- Ctrl-Alt-Del: message, reboot, READY again, disk still has the marker ---
    pos, ev = serial.mark(), qmp.mark()
    qmp.cmd("send-key", keys=[{"type": "qcode", "data": k} for k in ("ctrl", "alt", "delete")])
    serial.expect(r"WEBVIRT-GUEST-CTRLALTDEL\r?\n", 30, pos)
    check("WEBVIRT-GUEST-CTRLALTDEL")
    qmp.event("RESET", 30, ev)
    t0 = time.monotonic()
    serial.expect(r"WEBVIRT-GUEST-READY\r?\n", 120, pos)
    check(f"rebooted (RESET event), READY again after {time.monotonic() - t0:.1f} s")
    run("webvirt-disk-read", r"WEBVIRT-DISK-MARKER hello\r?\n")
    check("WEBVIRT-DISK-MARKER hello (after reboot)")

    # --- ACPI power button ---
    secs = vm.powerdown()
    check(f"system_powerdown -> WEBVIRT-GUEST-POWEROFF -> SHUTDOWN guest:true "
          f"reason:guest-shutdown in {secs:.1f} s, status shutdown")
    return boot_s


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    guest = sys.argv[1]
    keep = "--keep" in sys.argv[2:]
    iso = os.path.join(guest, "webvirt-guest.iso")
    tmp = tempfile.mkdtemp(prefix="webvirt-guest-smoke.")
    disk = os.path.join(tmp, "disk.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", disk, "64M"], check=True)
    vm = None
    try:
        vm = Vm(tmp, "full", iso, disk)
        boot_s = full_run(vm)
        vm.quit()
        res = subprocess.run(["qemu-img", "check", disk], capture_output=True, text=True)
        if res.returncode != 0 or "No errors were found" not in res.stdout:
            raise Failure(f"qemu-img check: rc {res.returncode}\n{res.stdout}{res.stderr}")
        check("qemu-img check: no errors")

        # The power button pressed the moment READY appears is not lost (acpid is
        # listening by then).
        vm = Vm(tmp, "early-powerdown", iso, disk)
        secs, _ = vm.boot()
        vm.powerdown()
        check(f"second boot: READY after {secs:.1f} s, system_powerdown right at READY powers off")
        vm.quit()
        print(f"PASS  boot to READY {boot_s:.1f} s", flush=True)
    except Failure as e:
        print(f"FAIL {e}", flush=True)
        if vm and vm.serial:
            print("----- serial output -----\n" + vm.serial.text.replace("\r", "")
                  + "\n-------------------------")
        keep = True
        sys.exit(1)
    finally:
        if vm:
            vm.kill()
        if keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    main()

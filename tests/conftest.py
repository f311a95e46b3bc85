# SPDX-License-Identifier: MPL-2.0
"""lyncboot's pytest plugin: every Python test reports TAP, the protocol meson and
tests/platform-run count (tests/run's closing "N passed, N failed" is made from it).

One "ok N - name" line a case, named by the first line of its docstring: after the
parameter of a parametrized fixture (e.g. "two callouts: ..."), with the case's own
parameter where the docstring says {id} (else after it, in brackets); a skip is "ok N - name # SKIP why"; a failure
is "not ok" after its traceback as "# " lines. A fixture that fails when it is torn
down (a daemon's sanitizer report, see netlab.Lab.close) is a case of its own, so a
report found after the last case still fails the test. What a case records with
record_property("note", text) is printed as "# " lines before its result."""
import sys


def case_name(item):
    doc = (getattr(item, "function", None) and item.function.__doc__) or ""
    name = doc.strip().splitlines()[0].strip() if doc.strip() else \
        getattr(item, "originalname", item.name)
    callspec = getattr(item, "callspec", None)
    if not callspec:
        return name
    # One id a parametrization: a fixture's params first (e.g. "two callouts"), then the
    # function's own parametrize marks, which the docstring places with {id}.
    ids = list(getattr(callspec, "_idlist", [callspec.id]))
    own = sum(1 for _ in item.iter_markers("parametrize"))
    fixture_ids, own_ids = ids[:len(ids) - own], ids[len(ids) - own:]
    if "{id}" in name:
        name = name.replace("{id}", " ".join(own_ids))
    elif own_ids:
        name = f"{name} [{' '.join(own_ids)}]"
    return ", ".join(fixture_ids) + ": " + name if fixture_ids else name


def tail(text, limit):
    lines = text.rstrip().splitlines()
    return "\n".join((["..."] if len(lines) > limit else []) + lines[-limit:])


def diagnostics(text):
    return "".join(f"# {line}\n" for line in text.splitlines())


class TapReporter:
    def __init__(self):
        self.count = 0
        self.failed = 0
        self.names = {}

    def emit(self, text):
        sys.stdout.write(text)
        sys.stdout.flush()

    def pytest_collection_modifyitems(self, items):
        self.names = {item.nodeid: case_name(item) for item in items}

    def pytest_collectreport(self, report):
        if report.failed:
            self.count += 1
            self.failed += 1
            self.emit(diagnostics(tail(report.longreprtext, 40)) +
                      f"not ok {self.count} - {report.nodeid} could not be loaded\n")

    def pytest_runtest_logreport(self, report):
        name = self.names.get(report.nodeid, report.nodeid)
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self.count += 1
            # What a case measured, for the log (record_property("note", text)).
            self.emit(diagnostics("\n".join(str(value) for key, value in
                                            report.user_properties if key == "note")))
            if report.passed:
                self.emit(f"ok {self.count} - {name}\n")
            elif report.skipped:
                why = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
                why = why.removeprefix("Skipped: ")
                self.emit(f"ok {self.count} - {name} # SKIP {why}\n")
            else:
                self.failed += 1
                where = "" if report.when == "call" else " (setting up)"
                self.emit(diagnostics(self.details(report)) +
                          f"not ok {self.count} - {name}{where}\n")
        elif report.when == "teardown" and report.failed:
            self.count += 1
            self.failed += 1
            self.emit(diagnostics(self.details(report)) +
                      f"not ok {self.count} - cleaning up after: {name}\n")

    @staticmethod
    def details(report):
        text = tail(report.longreprtext, 40)
        for title, content in report.sections:
            if content.strip():
                text += f"\n--- {title} ---\n{tail(content, 20)}"
        return text

    def pytest_sessionfinish(self, session):
        self.emit(f"1..{self.count}\n")


def pytest_configure(config):
    config.pluginmanager.register(TapReporter(), "lyncboot-tap")

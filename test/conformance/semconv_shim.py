"""Stand-in for the `opentelemetry-semantic-conventions` package, which the offline pip mirror lacks.

wandb 0.30 imports opentelemetry-sdk for its own usage telemetry (wandb/analytics), and the SDK imports
`opentelemetry.semconv.*` constants at import time. The conformance test never exports telemetry (no network),
so every semconv name resolves to an inert value: constants are their dotted names, classes are namespaces of
such constants, and `create_*` metric factories return no-op instruments. Installed through a .pth file only
when the real package is missing (see conformance.test.ts).
"""

import importlib.abc
import importlib.machinery
import sys
import types


class _Str(str):
    @property
    def value(self):
        return str(self)


class _Noop:
    def __call__(self, *args, **kwargs):
        return _Noop()

    def __getattr__(self, name):
        return _Noop()


class _Names:
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Str(name.lower().replace("_", "."))


def _module_getattr(name):
    if name.startswith("__"):
        raise AttributeError(name)
    if name.startswith("create_"):
        return _Noop()
    if name[:1].isupper() and not name.isupper():
        return _Names()
    return _Str(name.lower().replace("_", "."))


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        if fullname == "opentelemetry.semconv" or fullname.startswith("opentelemetry.semconv."):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = _module_getattr
        return module

    def exec_module(self, module):
        pass


sys.meta_path.append(_Finder())

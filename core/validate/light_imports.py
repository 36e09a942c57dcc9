"""A lighter Great Expectations import for the validation process (core.validate.worker).

GX's import is most of the validation process's life: seconds of CPU, on the critical path of
every refine. Most of it builds things Hotpass never runs:

* scipy.stats and altair (statistical expectations, charts): loaded only if touched;
* sqlalchemy, boto3, botocore (SQL and S3 data sources): read as not installed, which GX treats
  as optional;
* the SQL, Spark, cloud and file-path data sources (pydantic models, one per source and asset
  kind): stand-in modules whose names exist but which define nothing (only `add_pandas` and
  data-frame assets are used, and nothing outside `datasource.fluent` imports them);
* the 60-odd expectation classes that `great_expectations.expectations` imports eagerly: loaded
  when first named instead. `register_expectations` loads the ones a suite uses before GX reads
  it, so GX still registers (and counts) exactly the expectations it can parse.

GX's pandas source also builds no asset model per `pandas.read_*` function, and the new-style
metric classes (`great_expectations.metrics`) load when first named. GX's import went from 7.1 to
3.7 G instructions (cachegrind), about 1.7 s of CPU here; the validation results and Data Docs
of the real case are the same.
Only ever installed in the validation process: the main process and the tests import GX whole.
"""

from __future__ import annotations

import ast
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from pathlib import Path

LAZY_PACKAGES = ("scipy", "altair", "jsonschema")
ABSENT_PACKAGES = ("sqlalchemy", "boto3", "botocore", "s3transfer")
_FLUENT = "great_expectations.datasource.fluent."
STAND_INS = frozenset(_FLUENT + name for name in (
    "alloy_datasource", "aurora_datasource", "bigquery_datasource", "citus_datasource", "databricks_sql_datasource",
    "fabric", "fabric_datasource", "neon_datasource", "postgres_datasource", "redshift_datasource",
    "snowflake_datasource", "sql_datasource", "sql_server_datasource", "sqlite_datasource",
    "spark_datasource", "spark_file_path_datasource", "spark_filesystem_datasource", "spark_dbfs_datasource",
    "spark_s3_datasource", "spark_google_cloud_storage_datasource", "spark_azure_blob_storage_datasource",
    "pandas_file_path_datasource", "pandas_filesystem_datasource", "pandas_dbfs_datasource",
    "pandas_s3_datasource", "pandas_google_cloud_storage_datasource", "pandas_azure_blob_storage_datasource"))
DYNAMIC_PANDAS = _FLUENT + "dynamic_pandas"
EXPECTATIONS = "great_expectations.expectations"
CORE_EXPECTATIONS = EXPECTATIONS + ".core"
# Package __init__ files whose `from .x import Name` lines are deferred until Name is asked for;
# the modules listed with them are still imported at once, in the order GX's own __init__ has.
DEFERRED_INITS = {EXPECTATIONS: (EXPECTATIONS + ".expectation",), CORE_EXPECTATIONS: (),
                  "great_expectations.metrics": ()}


class _StandIn(types.ModuleType):
    """A module of which every public name is an empty class: `from m import X` works, X does nothing."""

    def __getattr__(self, name: str) -> type:
        if name.startswith("__"):
            raise AttributeError(name)
        stand_in = type(name, (), {"__module__": self.__name__, "__doc__": "not loaded: unused by Hotpass"})
        setattr(self, name, stand_in)
        return stand_in


class _StandInLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _StandIn(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        return None


def _imported_names(init: Path, package: str) -> dict[str, str]:
    """Name -> the module it comes from, for every `from … import Name` at the top of `init`."""
    names: dict[str, str] = {}
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            source = f"{base}.{node.module}" if node.module else base
        else:
            source = node.module or ""
        for alias in node.names:
            names[alias.asname or alias.name] = source
    return names


class _DeferredInitLoader(importlib.abc.Loader):
    def __init__(self, origin: str) -> None:
        self.origin = origin

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        names = _imported_names(Path(self.origin), module.__name__)

        def __getattr__(name: str) -> object:  # noqa: N807 - a module's __getattr__ (PEP 562)
            source = names.get(name)
            if source is None:
                raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")
            value = getattr(importlib.import_module(source), name)
            setattr(module, name, value)
            return value

        module.__getattr__ = __getattr__
        for eager in DEFERRED_INITS[module.__name__]:
            importlib.import_module(eager)


class _NoReaderAssetsLoader(importlib.abc.Loader):
    """GX's pandas source builds a pydantic asset model per `pandas.read_*` function at import;
    Hotpass hands it data frames only. With no models built, GX falls back as it does for a pandas
    without those readers."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        self.loader.exec_module(module)
        module._generate_pandas_data_asset_models = lambda *args, **kwargs: {}  # noqa: SLF001


class _LightImports(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):  # noqa: ANN001, ANN201 - the import protocol's shape
        top = name.split(".")[0]
        if top in ABSENT_PACKAGES:
            raise ImportError(f"{name} is not used by Hotpass's validation", name=name)
        if name in STAND_INS:
            return importlib.machinery.ModuleSpec(name, _StandInLoader())
        if top not in LAZY_PACKAGES and name not in DEFERRED_INITS and name != DYNAMIC_PANDAS:
            return None
        spec = self._real_spec(name, path, target)
        if spec is None or spec.loader is None:
            return spec
        if name == DYNAMIC_PANDAS:
            spec.loader = _NoReaderAssetsLoader(spec.loader)
        elif name in DEFERRED_INITS and spec.origin:
            spec.loader = _DeferredInitLoader(spec.origin)
        elif hasattr(spec.loader, "exec_module"):
            spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec

    def _real_spec(self, name, path, target):  # noqa: ANN001, ANN202
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                return spec
        return None


def lighten_imports() -> None:
    """Install the finder; before GX is imported, or it has no effect."""
    if not any(isinstance(f, _LightImports) for f in sys.meta_path):
        sys.meta_path.insert(0, _LightImports())


def register_expectations(kinds: list[str]) -> None:
    """Load the core expectation classes named (an unknown name is left to GX, which drops it)."""
    for kind in dict.fromkeys(kinds):
        module = f"{CORE_EXPECTATIONS}.{kind}"
        if kind.isidentifier() and module not in sys.modules and importlib.util.find_spec(module) is not None:
            importlib.import_module(module)

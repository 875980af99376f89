"""The JavaScript the page inlines, so it works offline: vis-network from pyvis's package data.

pyvis ships vis-network 9.1.2 (dual licensed Apache-2.0 / MIT, (c) Almende B.V. and the visjs
contributors) under ``pyvis/templates/lib/vis-9.1.2/``. We inline that file as is (its licence
header included) instead of copying it into this repository; the version is checked so that a
pyvis upgrade that changes it fails loudly rather than silently changing the output.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from kg.errors import KgError

VIS_NETWORK_VERSION = "9.1.2"
VIS_NETWORK_LICENSE = "Apache-2.0 OR MIT"
VIS_NETWORK_PATH = f"templates/lib/vis-{VIS_NETWORK_VERSION}/vis-network.min.js"


@cache
def vis_network_js() -> str:
    """The minified vis-network standalone bundle (defines ``vis.Network``, ``vis.DataSet``)."""
    try:
        text = (resources.files("pyvis") / VIS_NETWORK_PATH).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as err:
        raise KgError(f"vis-network {VIS_NETWORK_VERSION} not found in pyvis: {err}") from err
    if f"@version {VIS_NETWORK_VERSION}" not in text[:400]:
        raise KgError(f"pyvis's {VIS_NETWORK_PATH} is not vis-network {VIS_NETWORK_VERSION}")
    return text.replace("</script", "<\\/script")


@cache
def package_text(name: str) -> str:
    """A file shipped with kg.view (template, stylesheet, script)."""
    return (resources.files("kg.view") / name).read_text(encoding="utf-8")

"""Work slots of the OPDs (lokasi kerja), the map and the partners list (Daftar Mitra)."""

from flask import Blueprint

bp = Blueprint("slots", __name__)


@bp.record_once
def _configure_folium(state) -> None:  # type: ignore[no-untyped-def]
    """Point folium at the vendored Leaflet once, when the app registers the blueprint."""
    from portal.slots.maps import configure_folium

    configure_folium(state.app.static_url_path)


from portal.slots import routes, widgets  # noqa: E402, F401

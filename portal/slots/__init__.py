"""Work slots of the OPDs (lokasi kerja), the map and the partners list (Daftar Mitra)."""

from flask import Blueprint
from flask.sansio.blueprints import BlueprintSetupState

bp = Blueprint("slots", __name__)


@bp.record_once
def _configure_folium(state: BlueprintSetupState) -> None:
    """Point folium at the vendored Leaflet once, when the app registers the blueprint."""
    from portal.slots.maps import configure_folium

    static = state.app.static_url_path
    assert static is not None  # the app serves static/, where Leaflet is vendored
    configure_folium(static)


from portal.slots import routes, widgets  # noqa: E402, F401

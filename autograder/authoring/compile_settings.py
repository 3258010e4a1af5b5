"""How a compile setting is named, whatever form it was given in: shared by the expectations and
the checks, and kept apart from the notebook tools so the checks start without nbformat."""


def setting_name(setting) -> str:
    """'adam' from 'adam', from an Adam object's config, or from a loss function."""
    if isinstance(setting, str):
        return setting
    if isinstance(setting, dict):  # an optimizer's own name is made unique (adam_1): its class says what it is
        if str(setting.get("module", "")).startswith("keras.optimizers"):
            return str(setting.get("class_name", "")).lower()
        return setting.get("config", {}).get("name") or setting["class_name"]
    return str(getattr(setting, "name", None) or getattr(setting, "__name__", None) or setting)

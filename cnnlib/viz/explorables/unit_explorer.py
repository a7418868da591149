"""The unit explorer: click a unit of a feature map, see its receptive field and value."""

import numpy as np
import traitlets

from ._base import Explorable, encode_array


class UnitExplorer(Explorable):
    """Feature maps of a network on one image, with each unit's window on the input.

    Parameters
    ----------
    image : ndarray, shape (C, H, W), (H, W, C) with C = 3, or (H, W)
        The input the maps were computed from (at most 128x128).
    layers : dict of str to (ndarray of shape (K, H', W'), ReceptiveField)
        For each layer to explore, its maps on ``image`` (``cl.activations``) and its
        receptive field (``cl.receptive_field(net, layer)``); windows are clipped to the
        image as ``field.box(i, j, shape)`` does.
    channel, row, col : int
        The unit selected at first, in the first layer.
    """

    _name = "unit_explorer"
    image = traitlets.Dict().tag(sync=True)
    channels = traitlets.Int(1).tag(sync=True)
    layers = traitlets.List().tag(sync=True)
    layer = traitlets.Int(0).tag(sync=True)
    channel = traitlets.Int(0).tag(sync=True)
    row = traitlets.Int(0).tag(sync=True)
    col = traitlets.Int(0).tag(sync=True)

    def __init__(self, image, layers, *, channel=0, row=0, col=0):
        img = np.asarray(image)
        if img.ndim == 3 and img.shape[0] in (1, 3) and img.shape[-1] not in (1, 3):
            img = img.transpose(1, 2, 0)                    # (H, W, C)
        if img.ndim == 2:
            img = img[:, :, None]
        if img.ndim != 3 or img.shape[-1] not in (1, 3) or max(img.shape[:2]) > 128:
            raise ValueError(f"image must be (C, H, W), (H, W, C) or (H, W) with C = 1 or 3 "
                             f"and at most 128x128, got shape {np.shape(image)}")
        if not isinstance(layers, dict) or not layers:
            raise TypeError(f"layers must be a non-empty dict name -> (maps, field), "
                            f"got {type(layers).__name__}")
        specs = []
        for name, entry in layers.items():
            maps, field = entry
            maps = np.asarray(maps)
            if maps.ndim != 3:
                raise ValueError(f"maps of {name!r} must be (K, H', W'), got {maps.shape}")
            specs.append({"name": str(name), "channels": int(maps.shape[0]),
                          "maps": encode_array(maps.reshape(-1, maps.shape[2]), name),
                          "start": [int(v) for v in field.start],
                          "jump": [int(v) for v in field.jump],
                          "size": [int(v) for v in field.size]})
        h, w, c = img.shape
        super().__init__(image=encode_array(img.reshape(h, w * c), "image"), channels=c,
                         layers=specs, channel=int(channel), row=int(row), col=int(col))

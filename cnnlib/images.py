"""Images as float arrays: load and save photos, convert to gray, render the book's river scene.

Every image here is float32 in [0, 1], shaped (H, W) for gray or (H, W, 3) for RGB
(channels last, as photos are stored; the network code uses NCHW). Pillow is needed only
by `load_image` and `save_image` and is imported inside them. `river` and `river_regions`
use numpy alone.
"""

import os
import stat
import warnings
from types import SimpleNamespace

import numpy as np

from ._checks import integer, positive_int

#: Luminance weights of ITU-R BT.601 (R, G, B), the ones Pillow's ``convert("L")`` uses.
GRAY_WEIGHTS = (0.299, 0.587, 0.114)

#: Largest image `load_image` decodes by default, in pixels (width times height).
MAX_PIXELS = 50_000_000

#: The river's default size (height, width).
RIVER_SIZE = (256, 384)


# --------------------------------------------------------------------------- gray, sizes

def to_gray(rgb):
    """Luminance of an RGB image, ``0.299 R + 0.587 G + 0.114 B`` (ITU-R BT.601).

    These are the weights Pillow's ``convert("L")`` uses, so a gray image from here matches a
    gray photo from an image editor to within rounding.

    Parameters
    ----------
    rgb : ndarray, shape (..., H, W, 3)
        Float RGB in [0, 1]; unsigned integers, divided by their largest value (255 for
        uint8, 65535 for uint16, ...); or bool (False black, True white). Signed integers
        are refused: their range could be [-128, 127] or [0, 127] alike.

    Returns
    -------
    gray : ndarray, shape (..., H, W), float32
        In [0, 1] when the input is.
    """
    rgb = np.asarray(rgb)
    if rgb.ndim < 3 or rgb.shape[-1] != 3:
        raise ValueError(f"to_gray expects an RGB image of shape (..., H, W, 3), got shape {rgb.shape}")
    if rgb.dtype.kind == "u":
        rgb = rgb / np.float64(np.iinfo(rgb.dtype).max)
    elif rgb.dtype.kind == "i":
        raise TypeError(f"to_gray cannot tell the range of signed {rgb.dtype} pixels: convert the image to "
                        f"floats in [0, 1] or to an unsigned type first")
    elif rgb.dtype.kind not in "bf":
        raise TypeError(f"to_gray expects a float, unsigned integer or bool array, got dtype {rgb.dtype}")
    return (rgb.astype(np.float32) @ np.asarray(GRAY_WEIGHTS, dtype=np.float32)).astype(np.float32)


def _target_size(size, height, width, what="size"):
    """(H, W) from ``size``: None keeps (height, width), an int is the width (aspect kept)."""
    if size is None:
        return height, width
    if isinstance(size, (bool, np.bool_)):
        raise TypeError(f"{what} must be an int width or a (height, width) pair, got {size!r}")
    if isinstance(size, (int, np.integer)):
        if size < 1:
            raise ValueError(f"{what} must be a positive width, got {size}")
        return max(1, int(round(height * int(size) / width))), int(size)
    try:
        h, w = size
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be an int width or a (height, width) pair, got {size!r}") from None
    if not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in (h, w)):
        raise TypeError(f"{what} must hold integers, got {size!r}")
    if h < 1 or w < 1:
        raise ValueError(f"{what} must be positive, got {size!r}")
    return int(h), int(w)


def _resize(image, height, width):
    """Resample a float image (H, W) or (H, W, 3) to (height, width) with Lanczos, clipped to [0, 1]."""
    from PIL import Image

    if image.shape[:2] == (height, width):
        return image.astype(np.float32, copy=False)
    channels = image[..., None] if image.ndim == 2 else image
    out = np.stack([np.asarray(Image.fromarray(np.ascontiguousarray(channels[..., c], dtype=np.float32))
                               .resize((width, height), Image.Resampling.LANCZOS))
                    for c in range(channels.shape[-1])], axis=-1)
    out = np.clip(out, 0.0, 1.0)
    return out[..., 0] if image.ndim == 2 else out


# --------------------------------------------------------------------------- load, save

def _check_path(path):
    """``path`` as a str, checked to be a regular file without opening it (a FIFO would block)."""
    path = os.fspath(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise FileNotFoundError(f"no such image file: {path!r}") from None
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(f"{path!r} is a directory, expected an image file")
    if not stat.S_ISREG(mode):
        raise ValueError(f"{path!r} is not a regular file (a FIFO, socket or device?), expected an image file")
    return path


def _read(path, max_pixels=MAX_PIXELS, draft=None):
    """Decode ``path`` into float32 (H, W) gray or (H, W, 3) RGB, alpha composited on white."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    path = _check_path(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # max_pixels below is the limit
        try:
            im = Image.open(path)
        except UnidentifiedImageError:
            raise ValueError(f"{path!r} is not an image file Pillow can read") from None
        except Image.DecompressionBombError as e:
            raise ValueError(f"{path!r} is too large to decode safely (decompression bomb?): {e}") from None
        except (OSError, SyntaxError, ValueError, EOFError) as e:
            raise ValueError(f"cannot read image {path!r}: {e}") from None
        with im:
            width, height = im.size
            if width * height > max_pixels:
                raise ValueError(f"{path!r} is {width}x{height} = {width * height} pixels, over the limit of "
                                 f"{max_pixels} (decompression bomb?); pass a larger max_pixels to load it")
            try:
                im.seek(0)  # the first frame of a GIF or other animation
                if draft is not None:
                    im.draft(im.mode, (draft, draft))  # JPEG only: decode at a reduced scale >= draft
                im.load()
                im = ImageOps.exif_transpose(im)
            except (OSError, SyntaxError, ValueError, EOFError) as e:
                raise ValueError(f"cannot decode image {path!r} (truncated or corrupt?): {e}") from None
            return _to_float(im, path)


def _to_float(im, path):
    """A loaded PIL image as float32 (H, W) or (H, W, 3) in [0, 1]; ValueError if it cannot be."""
    if im.mode.startswith("I;16"):
        return np.asarray(im, dtype=np.float32) / np.float32(65535)
    if im.mode == "I":
        if im.format == "PNG":  # 16-bit PNGs in older Pillow versions
            return np.asarray(im, dtype=np.float32) / np.float32(65535)
        raise ValueError(f"{path!r} holds 32-bit integer pixels, whose range cnnlib cannot tell; "
                         f"save it with 8 or 16 bits per channel, or as floats in [0, 1]")
    if im.mode == "F":  # float TIFFs: used as they are if they hold [0, 1]
        values = np.asarray(im, dtype=np.float32)
        if not np.isfinite(values).all():
            raise ValueError(f"{path!r} holds NaN or inf pixels")
        if values.min() < 0 or values.max() > 1:
            raise ValueError(f"{path!r} holds floats from {values.min():g} to {values.max():g}, outside [0, 1]; "
                             f"cnnlib does not guess their scale: rescale them to [0, 1] first")
        return values
    has_alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info
    if has_alpha:
        rgba = np.asarray(im.convert("RGBA"), dtype=np.float32) / np.float32(255)
        alpha = rgba[..., 3:]
        rgb = rgba[..., :3] * alpha + (1 - alpha)  # composited on white
        if im.mode in ("LA", "La", "L") or (im.mode == "P" and _palette_is_gray(im)):
            return rgb[..., 0].copy()
        return rgb
    if im.mode in ("1", "L"):
        return np.asarray(im.convert("L"), dtype=np.float32) / np.float32(255)
    return np.asarray(im.convert("RGB"), dtype=np.float32) / np.float32(255)


def _palette_is_gray(im):
    rgb = np.asarray(im.convert("RGB"))
    return bool((rgb[..., 0] == rgb[..., 1]).all() and (rgb[..., 1] == rgb[..., 2]).all())


def load_image(path, gray=False, size=None, *, max_pixels=MAX_PIXELS):
    """Read an image file as float32 in [0, 1].

    Reads PNG, JPEG, BMP, WebP, GIF (first frame) and whatever else Pillow reads: 1-, 8- and
    16-bit gray, palette, RGB, CMYK. Transparent pixels are composited on white, and the EXIF
    orientation tag is applied, so a phone photo comes out the way up it was taken.

    Parameters
    ----------
    path : str or os.PathLike
    gray : bool
        True gives the luminance (see `to_gray`), shape (H, W); False gives (H, W, 3),
        with a gray file's one channel repeated three times.
    size : None, int or (int, int)
        None keeps the file's size. An int is the output width, the height following the
        aspect ratio. A pair (height, width) resizes to exactly that (Lanczos).
    max_pixels : int
        Files with more pixels than this (read from the header, before decoding) are refused,
        so a decompression bomb cannot fill the memory; so is a ``size`` that asks for more.
        Pillow's own limit, ``2 * PIL.Image.MAX_IMAGE_PIXELS``, applies on top.

    Returns
    -------
    image : ndarray, shape (H, W) or (H, W, 3), float32 in [0, 1]

    Raises
    ------
    FileNotFoundError
        If there is no file at ``path``.
    ValueError
        If the file is not an image, is truncated or corrupt, is not a regular file (a FIFO),
        holds pixels whose range cannot be told (32-bit integers, floats outside [0, 1]),
        or the file or the requested ``size`` is over ``max_pixels``.
    """
    max_pixels = positive_int(max_pixels, "max_pixels")
    requested = _target_size(size, 1, 1)  # checks size before reading
    if isinstance(size, (tuple, list)):  # a (height, width) pair is known before reading
        _check_output_size(size, *requested, max_pixels)
    image = _read(path, max_pixels=max_pixels, draft=None if size is None else int(max(np.atleast_1d(size))))
    height, width = _target_size(size, *image.shape[:2])
    _check_output_size(size, height, width, max_pixels)
    if gray and image.ndim == 3:
        image = to_gray(image)
    elif not gray and image.ndim == 2:
        image = np.repeat(image[..., None], 3, axis=-1)
    return _resize(image, height, width)


def _check_output_size(size, height, width, max_pixels):
    if height * width > max_pixels:
        raise ValueError(f"size {size!r} gives {height}x{width} = {height * width} pixels, over the limit of "
                         f"{max_pixels}; pass a larger max_pixels to allow it")


def save_image(path, image):
    """Write an image array to a file; the format follows the extension (.png, .jpg, ...).

    Parameters
    ----------
    path : str or os.PathLike
    image : ndarray, shape (H, W) or (H, W, 3)
        Float (values are clipped to [0, 1], then scaled to 0..255 and rounded), uint8 (written
        as is) or bool (False black, True white).

    Raises
    ------
    ValueError
        For another shape, NaN values, or an extension Pillow cannot write.
    """
    from PIL import Image

    image = np.asarray(image)
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[-1] != 3) or 0 in image.shape:
        raise ValueError(f"save_image expects an image of shape (H, W) or (H, W, 3), got shape {image.shape}")
    if image.dtype == np.bool_:
        data = image.astype(np.uint8) * 255
    elif image.dtype == np.uint8:
        data = image
    elif np.issubdtype(image.dtype, np.floating):
        if np.isnan(image).any():
            raise ValueError("save_image got an image with NaN values")
        data = np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)
    else:
        raise TypeError(f"save_image expects a float, uint8 or bool image, got dtype {image.dtype}")
    path = os.fspath(path)
    try:
        Image.fromarray(np.ascontiguousarray(data)).save(path)
    except (KeyError, ValueError) as e:
        raise ValueError(f"cannot write {path!r}: unknown or unsupported image format ({e})") from None


# --------------------------------------------------------------------------- the river scene
# Geometry in fractions of the picture: v runs down the height, u across the width.
# Lengths across (trunk widths) are fractions of the width, lengths down of the height.

_SKY_TOP, _SKY_LOW = (0.36, 0.56, 0.84), (0.80, 0.87, 0.94)
_FAR_HILL, _NEAR_HILL = (0.40, 0.48, 0.60), (0.66, 0.72, 0.46)
_CROWN, _TRUNK = (0.13, 0.30, 0.13), (0.22, 0.15, 0.10)
_GRASS, _EARTH = (0.42, 0.56, 0.25), (0.34, 0.27, 0.18)
_WATER_FAR, _WATER_NEAR = (0.55, 0.66, 0.74), (0.22, 0.34, 0.42)
_DECK, _DECK_TOP, _POST = (0.43, 0.31, 0.20), (0.66, 0.53, 0.38), (0.25, 0.18, 0.12)

_TREES_U = (0.03, 0.66)   # the tree line spans this much of the width
_FAR_BANK_V = 0.525       # the trunks stand here
_WATER_V = 0.565          # the far water's edge
_NEAR_BANK_V = 0.915      # the near shore
_RIPPLE_V0 = 0.40         # vanishing row of the water plane (spacing grows with distance to it)
_NUM_RIPPLES = 18
_DECK_V = (0.700, 0.728)  # the jetty's deck, seen from the side, top and bottom
_POST_BASE_V = 0.800      # where the jetty's posts meet the water
_JETTY_U = 0.50           # the jetty runs from here to the right edge
_POSTS_U = (0.52, 0.60, 0.68, 0.76, 0.84, 0.92)
_POST_W = 0.014


def _river_layout(seed):
    """Random but seeded details of the scene: hill profiles, trees, clouds, ripple dashes."""
    rng = np.random.default_rng(seed)
    n = 18
    return {
        "far_hill": (0.27, rng.uniform(0, 2 * np.pi, 3)),
        "near_hill": (0.37, rng.uniform(0, 2 * np.pi, 2)),
        "tree_u": np.linspace(*_TREES_U, n) + rng.uniform(-0.01, 0.01, n),
        "trunk_w": rng.uniform(0.006, 0.009, n),
        "trunk_h": rng.uniform(0.13, 0.17, n),
        "crown_r": rng.uniform(0.050, 0.068, n),
        "crown_shade": rng.uniform(-0.04, 0.04, n),
        "clouds": np.column_stack([rng.uniform(0.05, 0.95, 5), rng.uniform(0.06, 0.17, 5),
                                   rng.uniform(0.05, 0.10, 5)]),
        "dash_f": rng.uniform(1.5, 4.0, 64), "dash_p": rng.uniform(0, 2 * np.pi, 64),
        "bank_p": rng.uniform(0, 2 * np.pi),
    }


def _hill(u, base, phases):
    amps, freqs = (0.025, 0.012, 0.006)[:len(phases)], (0.7, 1.9, 4.3)[:len(phases)]
    return base + sum(a * np.sin(2 * np.pi * f * u + p) for a, f, p in zip(amps, freqs, phases))


def _box(lo, hi, centres):
    """Fraction of each pixel [c - 0.5, c + 0.5] inside [lo, hi] (all in pixels): box anti-aliasing."""
    return np.clip(np.minimum(centres + 0.5, hi) - np.maximum(centres - 0.5, lo), 0, 1)


def _paint(image, colour, alpha):
    """Lay ``colour`` (an RGB triple or an (H, W, 3) array) over ``image`` with coverage ``alpha``."""
    alpha = alpha[..., None]
    image *= 1 - alpha
    image += alpha * np.asarray(colour, dtype=np.float32)


def _render_river(height, width, seed):
    """The scene as RGB (H, W, 3) float32 plus the masks of `river_regions`."""
    c = SimpleNamespace(lay=_river_layout(seed), H=height, W=width)
    c.y = np.arange(height, dtype=np.float32)[:, None] + 0.5  # pixel centres, (H, 1)
    c.x = np.arange(width, dtype=np.float32)[None, :] + 0.5   # (1, W)
    c.u = c.x / width
    for draw in (_draw_sky_and_hills, _draw_trees, _draw_water, _draw_jetty, _draw_near_shore):
        draw(c)  # each paints onto c.image and keeps the shapes the masks need
    return np.clip(c.image, 0, 1).astype(np.float32), _river_masks(c)


def _draw_sky_and_hills(c):
    y, u, H = c.y, c.u, c.H
    t = np.clip(y / (_WATER_V * H), 0, 1)[..., None]
    c.image = np.broadcast_to(np.array(_SKY_TOP, np.float32) * (1 - t) + np.array(_SKY_LOW, np.float32) * t,
                              (H, c.W, 3)).copy()
    for cu, cv, su in c.lay["clouds"]:  # soft puffs: no sharp edges for the line detectors
        puff = sum(np.exp(-(((u - cu - du) / (su * s)) ** 2 + ((y / H - cv - dv) / (0.022 * s)) ** 2))
                   for du, dv, s in ((0, 0, 1.0), (0.5 * su, 0.01, 0.7), (-0.6 * su, 0.012, 0.6)))
        _paint(c.image, (0.97, 0.97, 0.98), np.clip(1.3 * puff, 0, 0.85))
    c.far_hill = _hill(u, *c.lay["far_hill"]) * H  # the horizon, (1, W)
    _paint(c.image, _FAR_HILL, np.clip(y - c.far_hill + 0.5, 0, 1))
    c.near_hill = _hill(u, *c.lay["near_hill"]) * H
    _paint(c.image, np.array(_NEAR_HILL) + 0.06 * (y / H - 0.45)[..., None], np.clip(y - c.near_hill + 0.5, 0, 1))


def _draw_trees(c):
    """Trunks standing on the far bank, crowns of overlapping discs on top, the bank's earth edge."""
    y, x, H, W = c.y, c.x, c.H, c.W
    base = _FAR_BANK_V * H
    c.trunks = np.zeros((H, W), np.float32)
    c.crowns = np.zeros((H, W), np.float32)
    crown_colour = np.zeros((H, W, 3), np.float32)
    lay = c.lay
    for tu, tw, th, r, shade in zip(lay["tree_u"], lay["trunk_w"], lay["trunk_h"], lay["crown_r"],
                                    lay["crown_shade"]):
        cx, cy, tw = tu * W, (_FAR_BANK_V - th) * H, tw * W
        c.trunks = np.maximum(c.trunks, _box(cx - tw / 2, cx + tw / 2, x) * _box(cy, base, y))
        r = r * H
        rows = slice(max(0, int(cy - 1.3 * r)), min(H, int(cy + 1.2 * r) + 2))  # the crown's bounding box
        cols = slice(max(0, int(cx - 1.2 * r)), min(W, int(cx + 1.2 * r) + 2))
        yb, xb = y[rows], x[:, cols]
        cover = np.zeros((yb.shape[0], xb.shape[1]), np.float32)
        for dx, dy, s in ((0, 0, 1.0), (0.6, 0.35, 0.7), (-0.6, 0.3, 0.72), (0.1, -0.55, 0.6)):
            cover = np.maximum(cover, np.clip(s * r - np.hypot(xb - cx - dx * r, yb - cy - dy * r) + 0.5, 0, 1))
        light = np.clip((cy - yb) / r, -1, 1) * 0.05 + shade  # lit from above
        on_top = (cover > c.crowns[rows, cols])[..., None]
        crown_colour[rows, cols] = np.where(on_top, np.array(_CROWN, np.float32) + light[..., None],
                                            crown_colour[rows, cols])
        c.crowns[rows, cols] = np.maximum(c.crowns[rows, cols], cover)
    _paint(c.image, _GRASS, np.clip(y - base + 0.5, 0, 1))
    _paint(c.image, _TRUNK, c.trunks)
    _paint(c.image, crown_colour, c.crowns)
    c.water = _WATER_V * H  # the far water's edge, in pixels
    _paint(c.image, _EARTH, np.clip(y - (c.water - 0.012 * H) + 0.5, 0, 1))


def _draw_water(c):
    """The land mirrored about the far edge, wobbled and smeared, under dashed horizontal ripples."""
    y, u, H, W = c.y, c.u, c.H, c.W
    land = c.image.copy()
    depth = np.clip((y - c.water) / ((_NEAR_BANK_V - _WATER_V) * H), 0, 1)[..., None]
    water_rgb = np.array(_WATER_FAR, np.float32) * (1 - depth) + np.array(_WATER_NEAR, np.float32) * depth
    # Ripple lines get further apart towards the viewer, as on a plane seen in perspective.
    k = _NUM_RIPPLES * 2 * np.pi / np.log((_NEAR_BANK_V - _RIPPLE_V0) / (_WATER_V - _RIPPLE_V0))
    dist = np.maximum(y / H - _RIPPLE_V0, 1e-3)
    phase = k * np.log(dist / (_WATER_V - _RIPPLE_V0)) / (2 * np.pi)  # +1 per ripple line, (H, 1)
    spacing = 2 * np.pi * dist * H / k  # pixels between ripple lines, (H, 1)
    c.wobble = 0.6 * spacing * np.sin(2 * np.pi * phase * 2.0)
    src = np.clip(2 * c.water - y - 0.5, 0, H - 1)
    reflection = _smear(_sample_rows(land, src[:, 0], c.wobble[:, 0]), max(1, int(round(0.008 * W))))
    strength = 0.7 * np.exp(-(y / H - _WATER_V) / 0.3)[..., None]
    water_rgb = water_rgb * (1 - strength) + 0.8 * reflection * strength
    line = np.round(phase)
    dash_i = line.astype(int) % 64
    dash = np.clip(1.8 * (0.5 + 0.5 * np.sin(2 * np.pi * (c.lay["dash_f"][dash_i] * u) + c.lay["dash_p"][dash_i]))
                   - 0.5, 0, 1)
    crest = np.exp(-((phase - line) * spacing / np.maximum(0.14 * spacing, 0.45)) ** 2)
    trough = np.exp(-((phase - line - 0.35) * spacing / np.maximum(0.2 * spacing, 0.6)) ** 2)
    water_rgb = water_rgb + (0.42 * crest - 0.12 * trough)[..., None] * dash[..., None] * np.array((0.9, 0.95, 1.0))
    _paint(c.image, np.clip(water_rgb, 0, 1), np.clip(y - c.water + 0.5, 0, 1))


def _draw_jetty(c):
    """A jetty seen from the side: a deck on vertical posts, and the posts' wobbly reflection."""
    y, x, H, W = c.y, c.x, c.H, c.W
    c.deck_top, c.deck_bottom, c.post_base = _DECK_V[0] * H, _DECK_V[1] * H, _POST_BASE_V * H
    deck = _box(_JETTY_U * W, W + 1, x) * _box(c.deck_top, c.deck_bottom, y)
    deck_edge = _box(_JETTY_U * W, W + 1, x) * _box(c.deck_top, c.deck_top + 0.007 * H, y)
    c.posts = np.zeros((H, W), np.float32)
    for pu in _POSTS_U:
        c.posts = np.maximum(c.posts, _box((pu - _POST_W / 2) * W, (pu + _POST_W / 2) * W, x)
                             * _box(c.deck_bottom, c.post_base, y))
    mirror = np.clip(2 * c.post_base - y - 0.5, 0, H - 1)[:, 0]
    jetty = np.maximum(deck, c.posts)
    reflected = _sample_rows(jetty[..., None], mirror, 0.35 * c.wobble[:, 0])[..., 0] * (y > c.post_base)
    _paint(c.image, np.array(_POST) * 0.8, 0.6 * reflected)
    _paint(c.image, _POST, c.posts)
    _paint(c.image, _DECK, deck)
    _paint(c.image, _DECK_TOP, deck_edge)


def _draw_near_shore(c):
    y, H = c.y, c.H
    c.shore = (_NEAR_BANK_V + 0.008 * np.sin(2 * np.pi * 1.3 * c.u + c.lay["bank_p"])) * H
    _paint(c.image, _EARTH, np.clip(y - c.shore + 0.5, 0, 1))
    _paint(c.image, np.array(_GRASS) * (0.9 - 0.3 * (y / H - _NEAR_BANK_V))[..., None],
           np.clip(y - c.shore - 0.015 * H + 0.5, 0, 1))


def _sample_rows(image, rows, shifts):
    """image sampled at fractional ``rows`` (H',) with each row shifted right by ``shifts`` (H',) pixels."""
    H, W = image.shape[:2]
    r0 = np.floor(rows).astype(int)
    r1, fr = np.minimum(r0 + 1, H - 1), (rows - r0)[:, None, None]
    picked = image[r0] * (1 - fr) + image[r1] * fr  # (H', W, C)
    cols = np.arange(W)[None, :] - shifts[:, None]
    c0 = np.clip(np.floor(cols).astype(int), 0, W - 1)
    c1, fc = np.clip(c0 + 1, 0, W - 1), (cols - np.floor(cols))[..., None]
    i = np.arange(len(rows))[:, None]
    return picked[i, c0] * (1 - fc) + picked[i, c1] * fc


def _smear(image, radius):
    """Horizontal box blur of width 2 * radius + 1 (edges repeated)."""
    padded = np.concatenate([np.repeat(image[:, :1], radius + 1, 1), image, np.repeat(image[:, -1:], radius, 1)], 1)
    c = np.cumsum(padded, axis=1)
    return (c[:, 2 * radius + 1:] - c[:, :-2 * radius - 1]) / (2 * radius + 1)


def _grow(mask, rows=0, cols=0):
    """Dilate a boolean mask by ``rows`` up and down and ``cols`` left and right."""
    out = mask.copy()
    for d in range(1, rows + 1):
        out[d:] |= mask[:-d]
        out[:-d] |= mask[d:]
    grown = out.copy()
    for d in range(1, cols + 1):
        out[:, d:] |= grown[:, :-d]
        out[:, :-d] |= grown[:, d:]
    return out


def _river_masks(c):
    """Boolean (H, W) masks of the regions built for each line detector (see `river_regions`)."""
    H, W = c.H, c.W
    ys = np.broadcast_to(c.y, (H, W))
    jetty_cols = np.broadcast_to(np.arange(W)[None, :] + 0.5 >= (_JETTY_U - 0.02) * W, (H, W))
    open_trunk = (c.trunks > 0.5) & ~_grow(c.crowns > 0.01, rows=2) & (ys < _FAR_BANK_V * H - 2)
    open_post = (c.posts > 0.5) & (ys > c.deck_bottom + 2) & (ys < c.post_base - 2)
    ripples = (ys > c.water + 4) & (ys < c.shore - 4) & ~(jetty_cols & (ys > c.deck_top - 4))
    banks = (np.abs(ys - (c.water - 0.006 * H)) <= 0.012 * H) | (np.abs(ys - c.shore - 0.0075 * H) <= 0.012 * H)
    banks &= ~(jetty_cols & (ys > c.deck_top - 4) & (ys < c.shore - 0.01 * H))
    horizon = (np.abs(ys - c.far_hill) <= 2) & ~_grow(c.crowns > 0.01, rows=3, cols=2) & (ys < c.near_hill - 3)
    return {"trunks": _grow(open_trunk, cols=1), "posts": _grow(open_post, cols=1), "ripples": ripples,
            "banks": banks, "horizon": horizon}


def river(gray=True, size=None, seed=0):
    """The book's river landscape, drawn with numpy: deterministic, any size.

    Sky with clouds, distant hills, a tree line whose trunks stand against a sunlit meadow, a
    river with banks, horizontal ripples and reflections, and a jetty on vertical posts. The
    trunks and posts are there for the vertical line detector, the ripples, banks and horizon
    for the horizontal one (`river_regions` tells where each is).

    Parameters
    ----------
    gray : bool
        True gives the luminance (see `to_gray`); False gives RGB.
    size : None, int or (int, int)
        None gives the default 256 x 384 (height x width). An int is the width, the height
        following the 2:3 aspect ratio. A pair is (height, width); the scene stretches to fit.
        At least 16 x 16.
    seed : int
        Moves the trees, clouds, hill profiles and ripple dashes; the layout stays the same.

    Returns
    -------
    image : ndarray, shape (H, W) or (H, W, 3), float32 in [0, 1]
    """
    height, width = _river_size(size)
    image, _ = _render_river(height, width, integer(seed, "seed", minimum=0))
    return to_gray(image) if gray else image


def river_regions(size=None, seed=0):
    """Where `river` put the structures each line detector is built to find.

    Parameters
    ----------
    size, seed
        As for `river`; the masks line up pixel for pixel with ``river(size=size, seed=seed)``.

    Returns
    -------
    regions : dict of str to ndarray, shape (H, W), bool
        ``"trunks"`` and ``"posts"`` (vertical structure: the visible trunks and the jetty's posts,
        one pixel either side included), ``"ripples"`` (open water away from the jetty),
        ``"banks"`` (the two water's edges) and ``"horizon"`` (the far hills against the sky).
    """
    height, width = _river_size(size)
    return _render_river(height, width, integer(seed, "seed", minimum=0))[1]


def _river_size(size):
    height, width = _target_size(size, *RIVER_SIZE)
    if height < 16 or width < 16:
        raise ValueError(f"river needs at least 16x16 pixels, got size {size!r} ({height}x{width})")
    return height, width

"""Tests for cnnlib.images: the river scene, load_image, save_image, to_gray."""

import struct
import zlib

import numpy as np
import pytest
from PIL import Image

import cnnlib as cl
from cnnlib.conv import correlate2d
from cnnlib.filters import kernel
from cnnlib.images import GRAY_WEIGHTS, MAX_PIXELS, load_image, river, river_regions, save_image, to_gray

VERTICAL = ("trunks", "posts")
HORIZONTAL = ("ripples", "banks", "horizon")


# --------------------------------------------------------------------------- river

@pytest.mark.parametrize("size, shape", [(None, (256, 384)), (192, (128, 192)), ((100, 300), (100, 300)),
                                         ((16, 16), (16, 16))])
@pytest.mark.parametrize("gray", [True, False])
def test_river_has_requested_shape_dtype_and_range(size, shape, gray):
    image = river(gray=gray, size=size)
    assert image.shape == (shape if gray else shape + (3,))
    assert image.dtype == np.float32
    assert 0 <= image.min() and image.max() <= 1
    assert image.std() > 0.1  # a picture, not a flat field


def test_river_is_deterministic_and_seed_changes_details():
    a, b, c = river(seed=0), river(seed=0), river(seed=1)
    np.testing.assert_array_equal(a, b)
    assert np.abs(a - c).mean() > 0.005
    regions_a, regions_c = river_regions(seed=0), river_regions(seed=1)
    assert not np.array_equal(regions_a["trunks"], regions_c["trunks"])


def test_river_gray_is_luminance_of_rgb():
    np.testing.assert_allclose(river(gray=True, size=96), to_gray(river(gray=False, size=96)), atol=1e-6)


def test_river_regions_are_nonempty_masks_aligned_with_the_image():
    regions = river_regions()
    assert set(regions) == set(VERTICAL + HORIZONTAL)
    for name, mask in regions.items():
        assert mask.shape == (256, 384) and mask.dtype == bool
        assert mask.sum() > 300, name
    # the trunk mask sits on dark trunks, darker than the meadow around them
    image = river()
    trunks = regions["trunks"]
    assert image[trunks].mean() < image[trunks.any(axis=1)].mean() - 0.05


@pytest.mark.parametrize("size, seed", [(None, 0), (None, 1), (None, 7), (512, 0), ((240, 320), 3)])
def test_line_detectors_respond_most_in_their_own_regions(size, seed):
    image, regions = river(size=size, seed=seed), river_regions(size=size, seed=seed)
    vertical = np.abs(correlate2d(image, kernel("vertical_line_zero_sum"), padding="same"))
    horizontal = np.abs(correlate2d(image, kernel("horizontal_line_zero_sum"), padding="same"))
    v = {name: vertical[mask].mean() for name, mask in regions.items()}
    h = {name: horizontal[mask].mean() for name, mask in regions.items()}
    for own in VERTICAL:
        assert v[own] > 2 * h[own], (own, v, h)  # vertical beats horizontal on trunks and posts
        assert v[own] > 5 * max(v[other] for other in HORIZONTAL), (own, v)
    for own in HORIZONTAL:
        assert h[own] > 2 * v[own], (own, v, h)
        assert h[own] > 2 * max(h[other] for other in VERTICAL), (own, h)


@pytest.mark.parametrize("size, error", [(8, ValueError), ((10, 200), ValueError), (0, ValueError),
                                         ((0, 5), ValueError), ("big", TypeError), (3.5, TypeError),
                                         ((1.5, 20), TypeError), (True, TypeError)])
def test_river_rejects_bad_sizes(size, error):
    with pytest.raises(error, match="size"):
        river(size=size)


# --------------------------------------------------------------------------- to_gray

def test_to_gray_uses_bt601_weights():
    assert GRAY_WEIGHTS == (0.299, 0.587, 0.114)
    rgb = np.zeros((1, 3, 3), np.float32)
    rgb[0, [0, 1, 2], [0, 1, 2]] = 1
    np.testing.assert_allclose(to_gray(rgb)[0], GRAY_WEIGHTS, rtol=1e-6)


def test_to_gray_matches_pillow_convert_l():
    rgb = np.random.default_rng(0).integers(0, 256, (20, 30, 3), dtype=np.uint8)
    pil = np.asarray(Image.fromarray(rgb).convert("L"), dtype=np.float32) / 255
    gray = to_gray(rgb)
    assert gray.dtype == np.float32 and gray.shape == (20, 30)
    assert np.abs(gray - pil).max() <= 1 / 255 + 1e-6


def test_to_gray_works_on_a_batch():
    rgb = np.random.default_rng(1).random((4, 5, 6, 3))
    np.testing.assert_allclose(to_gray(rgb)[2], to_gray(rgb[2]), rtol=1e-6)


@pytest.mark.parametrize("shape", [(5, 5), (5, 5, 4), (5, 5, 1), (3,)])
def test_to_gray_rejects_non_rgb_shapes(shape):
    with pytest.raises(ValueError, match=r"\(\.\.\., H, W, 3\)"):
        to_gray(np.zeros(shape))


def test_to_gray_rejects_non_numeric():
    with pytest.raises(TypeError, match="dtype"):
        to_gray(np.full((2, 2, 3), "a"))


# --------------------------------------------------------------------------- save_image / load_image

def _pattern(h=24, w=36):
    """A smooth, asymmetric RGB test picture (JPEG-friendly)."""
    yy, xx = np.mgrid[0:h, 0:w] / np.array([h, w])[:, None, None]
    return np.stack([xx, yy, 0.5 + 0.4 * np.sin(3 * xx + 2 * yy)], axis=-1).astype(np.float32)


@pytest.mark.parametrize("ext, atol", [(".png", 0.5 / 255), (".bmp", 0.5 / 255), (".webp", 0.5 / 255),
                                       (".jpg", 0.06), (".gif", 0.07)])
def test_save_then_load_round_trips(tmp_path, ext, atol):
    image = _pattern()
    path = tmp_path / f"picture{ext}"
    if ext == ".webp":
        Image.fromarray(np.round(image * 255).astype(np.uint8)).save(path, lossless=True)
    else:
        save_image(path, image)
    loaded = load_image(path)
    assert loaded.shape == image.shape and loaded.dtype == np.float32
    assert np.abs(loaded - image).mean() <= atol


def test_save_image_accepts_gray_uint8_and_bool(tmp_path):
    gray = np.linspace(0, 1, 40, dtype=np.float32).reshape(5, 8)
    save_image(tmp_path / "g.png", gray)
    np.testing.assert_allclose(load_image(tmp_path / "g.png", gray=True), np.round(gray * 255) / 255, atol=1e-6)
    u8 = np.arange(60, dtype=np.uint8).reshape(4, 5, 3)
    save_image(tmp_path / "u.png", u8)
    np.testing.assert_array_equal(np.asarray(Image.open(tmp_path / "u.png")), u8)
    save_image(tmp_path / "b.png", np.eye(4, dtype=bool))
    np.testing.assert_array_equal(load_image(tmp_path / "b.png", gray=True), np.eye(4))


def test_save_image_clips_out_of_range_floats(tmp_path):
    save_image(tmp_path / "c.png", np.array([[-0.5, 0.5, 1.7]]))
    np.testing.assert_allclose(load_image(tmp_path / "c.png", gray=True), [[0, 128 / 255, 1]], atol=1e-6)


@pytest.mark.parametrize("array, error, match", [
    (np.zeros((4, 4, 4)), ValueError, "shape"), (np.zeros(5), ValueError, "shape"),
    (np.zeros((0, 4)), ValueError, "shape"), (np.full((2, 2), np.nan), ValueError, "NaN"),
    (np.zeros((2, 2), np.int64), TypeError, "dtype"), (np.zeros((2, 2), complex), TypeError, "dtype"),
])
def test_save_image_rejects_bad_arrays(tmp_path, array, error, match):
    with pytest.raises(error, match=match):
        save_image(tmp_path / "x.png", array)


def test_save_image_rejects_unknown_extension(tmp_path):
    with pytest.raises(ValueError, match="x.nope"):
        save_image(tmp_path / "x.nope", np.zeros((2, 2)))


@pytest.mark.parametrize("mode", ["L", "1", "P", "RGB", "CMYK", "I;16"])
def test_load_image_reads_every_mode_as_float_in_unit_range(tmp_path, mode):
    rgb = np.round(_pattern() * 255).astype(np.uint8)
    if mode == "I;16":
        im = Image.fromarray((to_gray(rgb) * 65535).astype(np.uint16))
        assert im.mode == "I;16"
    else:
        im = Image.fromarray(rgb).convert(mode)
    path = tmp_path / ("x.jpg" if mode == "CMYK" else "x.png")
    im.save(path)
    for gray in (False, True):
        image = load_image(path, gray=gray)
        assert image.shape == ((24, 36) if gray else (24, 36, 3))
        assert image.dtype == np.float32 and 0 <= image.min() and image.max() <= 1
    expected = to_gray(rgb)
    tolerance = {"1": 0.5, "P": 0.05, "CMYK": 0.06}.get(mode, 0.01)
    assert np.abs(load_image(path, gray=True) - expected).mean() < tolerance


def test_load_image_keeps_16_bit_precision(tmp_path):
    ramp = np.arange(0, 65536, 257 // 2, dtype=np.uint16)[:512].reshape(16, 32)
    Image.fromarray(ramp).save(tmp_path / "deep.png")
    np.testing.assert_allclose(load_image(tmp_path / "deep.png", gray=True), ramp / 65535, atol=1e-6)


def test_load_image_composites_transparency_on_white(tmp_path):
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[..., 0] = 255                 # red ...
    rgba[:2, :, 3] = 255               # ... opaque on top,
    rgba[2:, :, 3] = 0                 # transparent below,
    rgba[3, :, 3] = 128                # half transparent at the bottom.
    Image.fromarray(rgba).save(tmp_path / "a.png")
    image = load_image(tmp_path / "a.png")
    np.testing.assert_allclose(image[0, 0], [1, 0, 0], atol=1e-6)
    np.testing.assert_allclose(image[2, 0], [1, 1, 1], atol=1e-6)
    np.testing.assert_allclose(image[3, 0], [1, 127 / 255, 127 / 255], atol=1e-6)
    la = Image.fromarray(rgba).convert("LA")
    la.save(tmp_path / "la.png")
    assert load_image(tmp_path / "la.png").shape == (4, 4, 3)
    assert load_image(tmp_path / "la.png", gray=True)[2, 0] == pytest.approx(1)


def test_load_image_honours_palette_transparency(tmp_path):
    im = Image.new("P", (4, 4), 0)
    im.putpalette([0, 0, 0, 0, 0, 255] + [0] * 762)
    im.paste(1, (0, 0, 4, 2))
    im.save(tmp_path / "p.gif", transparency=0)
    image = load_image(tmp_path / "p.gif")
    np.testing.assert_allclose(image[0, 0], [0, 0, 1], atol=1e-6)
    np.testing.assert_allclose(image[3, 3], [1, 1, 1], atol=1e-6)


def test_load_image_reads_the_first_frame_of_an_animated_gif(tmp_path):
    frames = [Image.new("RGB", (6, 5), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:], duration=50, loop=0)
    np.testing.assert_allclose(load_image(tmp_path / "anim.gif")[2, 3], [1, 0, 0], atol=1e-6)


@pytest.mark.parametrize("orientation, rotate", [(1, 0), (3, 2), (6, -1), (8, 1)])
def test_load_image_applies_exif_orientation(tmp_path, orientation, rotate):
    stored = np.round(_pattern(16, 40) * 255).astype(np.uint8)
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.fromarray(stored).save(tmp_path / "phone.jpg", exif=exif, quality=95)
    image = load_image(tmp_path / "phone.jpg")
    expected = np.rot90(stored, k=rotate) / 255  # 6 means "turn 90 degrees clockwise to view"
    assert image.shape == expected.shape
    assert np.abs(image - expected).mean() < 0.02


@pytest.mark.parametrize("size, shape", [(18, (12, 18)), ((10, 10), (10, 10)), ((48, 72), (48, 72))])
def test_load_image_resizes(tmp_path, size, shape):
    save_image(tmp_path / "r.png", _pattern())
    image = load_image(tmp_path / "r.png", size=size)
    assert image.shape == shape + (3,)
    assert 0 <= image.min() and image.max() <= 1
    assert image.mean() == pytest.approx(_pattern().mean(), abs=0.03)


def test_load_image_missing_file_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothere.png"):
        load_image(tmp_path / "nothere.png")


def test_load_image_on_a_folder_says_so(tmp_path):
    with pytest.raises(IsADirectoryError, match="directory"):
        load_image(tmp_path)


def test_load_image_rejects_a_non_image_file(tmp_path):
    (tmp_path / "notes.png").write_text("these are not pixels\n")
    with pytest.raises(ValueError, match="notes.png.*not an image"):
        load_image(tmp_path / "notes.png")


@pytest.mark.parametrize("ext", [".png", ".jpg"])
def test_load_image_rejects_a_truncated_file(tmp_path, ext):
    rng = np.random.default_rng(0)
    save_image(tmp_path / f"full{ext}", rng.random((64, 64, 3)))
    data = (tmp_path / f"full{ext}").read_bytes()
    (tmp_path / f"cut{ext}").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=f"cut{ext}"):
        load_image(tmp_path / f"cut{ext}")


def _png_header_only(width, height):
    """A PNG that claims width x height pixels but holds almost no data: a decompression bomb's header."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [8000, 30000, 100000])
def test_load_image_refuses_decompression_bombs_before_decoding(tmp_path, side):
    assert side * side > MAX_PIXELS
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(side, side))
    with pytest.raises(ValueError, match="bomb.png.*(pixels|too large)"):
        load_image(path)


def test_load_image_pixel_limit_is_adjustable(tmp_path):
    save_image(tmp_path / "s.png", _pattern())
    with pytest.raises(ValueError, match="over the limit of 100"):
        load_image(tmp_path / "s.png", max_pixels=100)
    assert load_image(tmp_path / "s.png", max_pixels=24 * 36).shape == (24, 36, 3)


def test_public_names_are_exported():
    for name in ("load_image", "save_image", "to_gray", "river", "river_regions"):
        assert getattr(cl, name) is globals()[name]


@pytest.mark.parametrize("size, error", [("big", TypeError), (0, ValueError), ((3, -1), ValueError)])
def test_load_image_rejects_bad_sizes(tmp_path, size, error):
    save_image(tmp_path / "s.png", _pattern())
    with pytest.raises(error, match="size"):
        load_image(tmp_path / "s.png", size=size)


# --------------------------------------------------------------------------- issue 15: no silent wrong answers

@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.uint64])
def test_to_gray_rescales_every_unsigned_integer_type_by_its_range(dtype):
    top = np.iinfo(dtype).max
    rgb = np.array([[[0, 0, 0], [top, top, top]]], dtype=dtype)
    gray = to_gray(rgb)
    assert gray.dtype == np.float32
    np.testing.assert_allclose(gray, [[0.0, 1.0]], atol=1e-6)


def test_to_gray_reads_bool_as_black_and_white():
    np.testing.assert_allclose(to_gray(np.array([[[False] * 3, [True] * 3]])), [[0.0, 1.0]], atol=1e-6)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64])
def test_to_gray_refuses_signed_integers_clearly(dtype):
    with pytest.raises(TypeError, match=f"to_gray cannot tell the range of signed {np.dtype(dtype)} pixels"):
        to_gray(np.full((2, 2, 3), -1, dtype=dtype))


def test_load_image_reads_a_float_tiff_in_the_unit_range(tmp_path):
    values = np.array([[0.0, 0.25], [0.5, 1.0]], np.float32)
    Image.fromarray(values).save(tmp_path / "f.tif")
    image = load_image(tmp_path / "f.tif", gray=True)
    np.testing.assert_array_equal(image, values)


@pytest.mark.parametrize("values, match", [
    ([[0.0, np.nan]], r"f\.tif' holds NaN or inf"),
    ([[0.0, np.inf]], r"f\.tif' holds NaN or inf"),
    ([[0.0, 255.0]], r"f\.tif' holds floats from 0 to 255, outside \[0, 1\]"),
    ([[-0.5, 0.5]], r"f\.tif' holds floats from -0.5 to 0.5, outside \[0, 1\]"),
])
def test_load_image_refuses_float_tiffs_it_cannot_put_in_the_unit_range(tmp_path, values, match):
    Image.fromarray(np.array(values, np.float32)).save(tmp_path / "f.tif")
    with pytest.raises(ValueError, match=match):
        load_image(tmp_path / "f.tif")


def test_load_image_refuses_32_bit_integer_tiffs(tmp_path):
    Image.fromarray(np.array([[0, 70000]], np.int32)).save(tmp_path / "i.tif")
    with pytest.raises(ValueError, match=r"i\.tif' holds 32-bit integer pixels"):
        load_image(tmp_path / "i.tif")


def test_load_image_refuses_a_fifo_without_blocking(tmp_path):
    import os
    import threading

    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    outcome = []

    def load():
        try:
            load_image(fifo)
        except Exception as err:  # noqa: BLE001  (the test inspects whatever comes out)
            outcome.append(err)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive():  # it blocked in open(): let it go by opening the other end
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(2)
        pytest.fail("load_image blocked on a FIFO")
    assert isinstance(outcome[0], ValueError) and "pipe.png' is not a regular file" in str(outcome[0])


@pytest.mark.parametrize("max_pixels, error, match", [
    (None, TypeError, "max_pixels must be a positive int, got None"),
    (0, ValueError, "max_pixels must be a positive int, got 0"),
    (1.5, TypeError, "max_pixels must be a positive int, got 1.5"),
])
def test_load_image_rejects_bad_max_pixels(tmp_path, max_pixels, error, match):
    save_image(tmp_path / "s.png", _pattern())
    with pytest.raises(error, match=match):
        load_image(tmp_path / "s.png", max_pixels=max_pixels)


@pytest.mark.parametrize("size, match", [
    (100000, r"size 100000 gives 66667x100000 = 6666700000 pixels, over the limit of 50000000"),
    ((100000, 100000), r"size \(100000, 100000\) gives 100000x100000 = 10000000000 pixels, over the limit"),
])
def test_load_image_caps_the_output_size(tmp_path, size, match):
    save_image(tmp_path / "s.png", _pattern())
    with pytest.raises(ValueError, match=match):
        load_image(tmp_path / "s.png", size=size)


@pytest.mark.parametrize("seed, error, match", [("abc", TypeError, "seed must be an int, got 'abc'"),
                                                (-1, ValueError, "seed must be at least 0, got -1"),
                                                (1.5, TypeError, "seed must be an int, got 1.5")])
def test_river_rejects_bad_seeds(seed, error, match):
    with pytest.raises(error, match=match):
        river(seed=seed)
    with pytest.raises(error, match=match):
        river_regions(seed=seed)

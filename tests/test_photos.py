"""Tests for cnnlib.photos: paths and credits of scikit-image's sample photos."""

import builtins
import os

import numpy as np
import pytest

import cnnlib as cl
from cnnlib.photos import PHOTOS, photo_credit, sample_photo


@pytest.mark.parametrize("name", sorted(PHOTOS))
def test_every_listed_photo_exists_and_loads_as_float(name):
    path = sample_photo(name)
    assert os.path.isfile(path) and path.endswith(PHOTOS[name][0])
    image = cl.load_image(path, gray=True, size=64)
    assert image.dtype == np.float32 and image.shape[1] == 64
    assert 0 <= image.min() and image.max() <= 1 and image.std() > 0.02


def test_sample_photo_is_reexported_from_cnnlib():
    assert cl.sample_photo is sample_photo and cl.photo_credit is photo_credit


@pytest.mark.parametrize("name", sorted(PHOTOS))
def test_every_credit_names_a_free_licence(name):
    credit = photo_credit(name)
    assert "CC0" in credit or "public domain" in credit
    assert "scikit-image" in credit


def test_unknown_name_is_a_value_error_listing_the_choices():
    with pytest.raises(ValueError, match=r"unknown sample photo 'lena'.*brick"):
        sample_photo("lena")
    with pytest.raises(ValueError, match="unknown sample photo"):
        photo_credit("Camera")


@pytest.mark.parametrize("bad", [None, 3, b"camera", ["camera"]])
def test_non_string_name_is_a_type_error(bad):
    with pytest.raises(TypeError, match="photo name must be a str"):
        sample_photo(bad)


def test_missing_scikit_image_says_how_to_install_it(monkeypatch):
    real_import = builtins.__import__

    def no_skimage(name, *args, **kwargs):
        if name.startswith("skimage"):
            raise ModuleNotFoundError("No module named 'skimage'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_skimage)
    with pytest.raises(ModuleNotFoundError, match="pip install scikit-image"):
        sample_photo("camera")


def test_missing_file_is_a_file_not_found_error(monkeypatch):
    monkeypatch.setattr("cnnlib.photos.PHOTOS",
                        {**PHOTOS, "ghost": ("no_such_photo.png", "x", "CC0")})
    with pytest.raises(FileNotFoundError, match="no_such_photo.png"):
        sample_photo("ghost")

"""cnnlib: convolutional neural networks from scratch in numpy, for the book.

Array layout is NCHW everywhere; convolution weights are (F, C, KH, KW).
The public names are re-exported here; each lives in a module named for its concept.
"""

__version__ = "0.1.0"

__all__ = []

# --- conv, filters ---
from .conv import (
    output_size, correlate2d, convolve2d, correlate2d_naive, conv2d, conv2d_backward,
    max_pool2d, max_pool2d_backward, relu, relu_backward,
    conv2d_naive, conv2d_backward_naive, max_pool2d_backward_naive,
)
from .filters import KERNELS, DESCRIPTIONS, kernel, describe
__all__ += [
    "output_size", "correlate2d", "convolve2d", "correlate2d_naive", "conv2d", "conv2d_backward",
    "max_pool2d", "max_pool2d_backward", "relu", "relu_backward",
    "conv2d_naive", "conv2d_backward_naive", "max_pool2d_backward_naive",
    "KERNELS", "DESCRIPTIONS", "kernel", "describe",
]

# --- layers, losses, optim, train, gradcheck ---
from .layers import Layer, Conv2D, ReLU, MaxPool2D, Flatten, Dense, Sequential
from .losses import softmax_cross_entropy, mse
from .optim import SGD, Adam
from .train import fit, evaluate, predict, History, NonFiniteLossError, save_weights, load_weights
from .gradcheck import numerical_gradient, relative_error, check_gradients
__all__ += [
    "Layer", "Conv2D", "ReLU", "MaxPool2D", "Flatten", "Dense", "Sequential",
    "softmax_cross_entropy", "mse", "SGD", "Adam",
    "fit", "evaluate", "predict", "History", "NonFiniteLossError", "save_weights", "load_weights",
    "numerical_gradient", "relative_error", "check_gradients",
]
from .train import LossExplodedError
__all__ += ["LossExplodedError"]

# --- images, datasets ---
from .images import load_image, save_image, to_gray, river, river_regions, GRAY_WEIGHTS
from .datasets import cats_vs_dogs, load_image_folder, train_test_split, CLASSES
__all__ += [
    "load_image", "save_image", "to_gray", "river", "river_regions", "GRAY_WEIGHTS",
    "cats_vs_dogs", "load_image_folder", "train_test_split", "CLASSES",
]

# --- featuremaps ---
from .featuremaps import feature_maps, activations, kernel_bank
__all__ += ["feature_maps", "activations", "kernel_bank"]

# --- receptive ---
from .receptive import ReceptiveField, TopPatches, receptive_field, top_patches
__all__ += ["ReceptiveField", "TopPatches", "receptive_field", "top_patches"]

# --- photos ---
from .photos import PHOTOS, sample_photo, photo_credit
__all__ += ["PHOTOS", "sample_photo", "photo_credit"]

# --- pooling, augment ---
from .pooling import (
    avg_pool2d, avg_pool2d_backward, global_avg_pool2d, global_avg_pool2d_backward,
    AvgPool2D, GlobalAvgPool2D,
)
from .augment import flip_horizontal, shift, random_flip_shift
__all__ += [
    "avg_pool2d", "avg_pool2d_backward", "global_avg_pool2d", "global_avg_pool2d_backward",
    "AvgPool2D", "GlobalAvgPool2D", "flip_horizontal", "shift", "random_flip_shift",
]

# --- trained networks ---
from .zoo import small_cnn, train_small_cnn, load_small_cnn
__all__ += ["small_cnn", "train_small_cnn", "load_small_cnn"]

"""Reference solution of mnist_ann: generated from source/mnist_ann/mnist_ann.ipynb by
`python -m autograder derive`. Edit the source notebook, not this file."""

import inspect
import math
import os
import matplotlib.pyplot as plt
import numpy as np
import keras
from keras import layers


def normalize(images):
    """Return `images` as float32 values in [0, 1], with the same shape."""
    return np.asarray(images, dtype="float32") / 255.0



def flatten(images):
    """Return the images reshaped from (N, 28, 28) to (N, 784)."""
    return images.reshape(len(images), -1)



def one_hot(labels):
    """Return integer labels of shape (N,) as one-hot rows of shape (N, 10)."""
    return keras.utils.to_categorical(labels, 10)



def build_model():
    """Return the uncompiled Sequential model: Flatten → Dense(128) → Dense(64) → Dense(10)."""
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])



# Which labels will the model train on? "one_hot" (rows from step 3) or "integer" (digits as they are).
LABEL_ENCODING = "one_hot"



def compile_model(model):
    """Compile `model` with Adam, a cross-entropy loss and the accuracy metric; return it."""
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model



def train_model(model, x_train, y_train):
    """Fit `model` for 10 epochs, batch size 128, validation_split 0.1; return the History.

    (verbose=2 prints one line per epoch, which reads well in the notebook and when exported.)
    """
    return model.fit(x_train, y_train, epochs=10, batch_size=128, validation_split=0.1, verbose=2)



def evaluate_model(model, x_test, y_test):
    """Return (test_loss, test_accuracy) as floats."""
    test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
    return float(test_loss), float(test_accuracy)



def plot_history(history):
    """Return a Figure with accuracy and loss, training and validation, per epoch."""
    figure, (accuracy_axes, loss_axes) = plt.subplots(1, 2, figsize=(11, 4))
    for axes, metric in ((accuracy_axes, "accuracy"), (loss_axes, "loss")):
        epochs = range(1, len(history.history[metric]) + 1)
        axes.plot(epochs, history.history[metric], marker="o", label="training")
        axes.plot(epochs, history.history[f"val_{metric}"], marker="o", label="validation")
        axes.set_xlabel("epoch")
        axes.set_ylabel(metric)
        axes.set_title(f"{metric} per epoch")
        axes.legend()
    figure.tight_layout()
    return figure



from sklearn.metrics import ConfusionMatrixDisplay, confusion_matrix


def confusion_matrix_of(model, x_test, y_test):
    """Return the 10×10 integer confusion matrix: rows are true digits, columns predicted ones."""
    predicted = np.argmax(model.predict(x_test, verbose=0), axis=1)
    return confusion_matrix(y_test, predicted, labels=range(10))


def plot_confusion_matrix(cm):
    """Return a Figure with `cm` drawn as a heatmap, each cell annotated with its count."""
    figure, axes = plt.subplots(figsize=(7, 6))
    ConfusionMatrixDisplay(cm, display_labels=range(10)).plot(ax=axes, cmap="Blues", colorbar=False)
    axes.set_xlabel("predicted digit")
    axes.set_ylabel("true digit")
    axes.set_title("confusion matrix on the test set")
    return figure



def softmax(z):
    """Row-wise softmax of scores z, shape (N, K): every row becomes probabilities summing to 1."""
    z = np.asarray(z, dtype="float64")
    shifted = np.exp(z - z.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)



def split_sizes(n_images, validation_split):
    """Return (n_train, n_validation) for fit(..., validation_split=validation_split)."""
    n_train = int(n_images * (1 - validation_split))
    return n_train, n_images - n_train


# The product brief's flagship example: the reference model trained under the mixed_float16
# policy with the output layer kept in float32, as TensorFlow's mixed-precision guide says.
# Unchanged from tf.keras except for the import.
import tensorbox as tf

tf.keras.mixed_precision.set_global_policy('mixed_float16')

model = tf.keras.Sequential([
    tf.keras.layers.Dense(1024, activation='relu', input_shape=(784,)),
    tf.keras.layers.Dense(10, dtype='float32')
])
model.compile(
    optimizer='adam',   # wrapped in a LossScaleOptimizer by compile, as Keras does
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=['accuracy']
)
(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255
history = model.fit(x_train, y_train, batch_size=128, epochs=5, validation_split=0.1)
print(model.evaluate(x_test, y_test, verbose=0))
print("loss scale:", float(model.optimizer.loss_scale))

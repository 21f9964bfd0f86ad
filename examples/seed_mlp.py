# The product brief's reference program, unchanged except for the import: trains the
# 784-1024-10 MLP on MNIST with tf.keras's API, on tensorbox's engine.
import tensorbox as tf   # the only change from TensorFlow

policy = tf.keras.mixed_precision.Policy('float32')      # mixed precision comes in its own issue
tf.keras.mixed_precision.set_global_policy(policy)

model = tf.keras.Sequential([
    tf.keras.layers.Dense(1024, activation='relu', input_shape=(784,)),
    tf.keras.layers.Dense(10, dtype='float32')
])
model.compile(
    optimizer='adam',
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=['accuracy']
)
(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255
history = model.fit(x_train, y_train, batch_size=128, epochs=5, validation_split=0.1)
print(model.evaluate(x_test, y_test, verbose=0))

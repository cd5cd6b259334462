"""The camera as a scanner (Qt-free): capture, the decoders (zxing-cpp, zbar in its worker
process), the passes over a frame, the debouncer, the camera's child process, and decoding
image and video files (``scanner-app decode``). Its accepted reads become scans through
``scanner_app.scanning``."""

"""PyTorch side of the GPT-2 trainer: training, evaluation, ONNX export and int8 quantization.

The Node worker runs `python3 -m ttt_trainer <command>` and reads one JSON event per stdout line.
"""

"""The input layer: what a run reads, turned into text the pipeline can clean.

Its house (issue 13): ``decoding`` (bytes to text: encodings, byte-order marks, compression,
size limits, sniffing), ``html`` (the HTML walk and extraction into lines), ``corpus`` (the
WARC / WET / ARC / JSONL readers) and ``discovery`` (the files and folders named on the command
line). It sits above the pipeline and below ``runs``/``cli``; it never writes (that is ``outputs``).
"""

"""Reading the tax bureau's income printouts (issue 13): text layer first, OCR otherwise.

`extract` runs inside the limited checking worker only (it imports numpy, OpenCV and onnxruntime);
`structure` turns recognised text into rows; `crosscheck` turns rows into findings for the reviewer;
`corpus` draws the synthetic printouts the tests and the benchmark read.
"""

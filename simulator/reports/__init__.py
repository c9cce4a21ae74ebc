"""What a programme's report shows, computed from stored attempts without any plotting.

`cusum` is the learning-curve method, `summary` turns a list of attempts into the numbers each
section of the report needs (score series, the criteria heat map, critical error counts,
learning curves, examiners' ratings). The HTML page and its charts (`html`, `charts`) are
built from those numbers only, so every figure in a report can be checked without a browser.
"""

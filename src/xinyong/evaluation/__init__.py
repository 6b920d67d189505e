"""Public credit composite evaluation (公共信用综合评价): grades A–D, spot-check lists and credit tags."""

"""The Statistics window and the workload plot (pyqtgraph: imported only when they open)."""

"""What runs inside the sandbox, beside the student's code: copied in as a package,
it imports nothing of the kit, and writes only JSON and .npz (see record_format)."""

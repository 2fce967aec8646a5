# By the file's ID. The configuration's source is then taken to be the file
# Writer has: the first apply records its SHA-256 without uploading again.
terraform import writer_file.faq 5f1d0c2e-0000-4000-8000-000000000000

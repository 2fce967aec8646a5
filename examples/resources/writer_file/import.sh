# By the file's ID. The import downloads the file from Writer and hashes it:
# the next plan uploads nothing if the configuration's source has the same
# content, and replaces the file if it differs.
terraform import writer_file.faq 5f1d0c2e-0000-4000-8000-000000000000

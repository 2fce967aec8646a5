# Every file the API key may see.
list "writer_file" "all" {
  provider = writer
}

# Only the PDFs and Word documents of one graph whose processing failed.
list "writer_file" "failed_in_handbook" {
  provider = writer
  config {
    graph_id   = "2b7d1c3e-0000-4000-8000-000000000000"
    status     = "failed"
    file_types = ["pdf", "docx"]
  }
}

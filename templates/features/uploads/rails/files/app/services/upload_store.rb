require "marcel"

# Keeps one uploaded file per record on disk, under UPLOAD_DIR (default storage/uploads):
#   <UPLOAD_DIR>/<table>/<id>/blob        the bytes
#   <UPLOAD_DIR>/<table>/<id>/meta.json   {"filename", "content_type", "size", "uploaded_at"}
# Limits: UPLOAD_MAX_BYTES (default 5 MiB) and the UPLOAD_CONTENT_TYPES allowlist.
class UploadStore
  DEFAULT_MAX_BYTES = 5 * 1024 * 1024
  DEFAULT_CONTENT_TYPES = %w[image/png image/jpeg image/gif image/webp application/pdf text/plain].freeze

  def self.root
    Pathname(ENV.fetch("UPLOAD_DIR", "storage/uploads")).expand_path(Rails.root)
  end

  def self.max_bytes
    Integer(ENV.fetch("UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES).to_s, 10)
  end

  def self.allowed_content_types
    ENV.fetch("UPLOAD_CONTENT_TYPES", DEFAULT_CONTENT_TYPES.join(",")).split(",").map(&:strip).reject(&:empty?)
  end

  # The type of an uploaded file judged from its bytes first (magic numbers), then
  # its name and declared type: a script named photo.png is not an image.
  def self.detect_content_type(upload)
    Marcel::MimeType.for(upload.tempfile, name: upload.original_filename.to_s, declared_type: upload.content_type)
  ensure
    upload.tempfile.rewind
  end

  def initialize(record)
    @dir = self.class.root.join(record.class.table_name, record.id.to_s)
  end

  def blob_path
    @dir.join("blob")
  end

  def exists?
    blob_path.file? && meta_path.file?
  end

  def metadata
    JSON.parse(meta_path.read) if exists?
  end

  # Saves an uploaded file (replacing the previous one) and returns its metadata.
  def save(upload, content_type)
    FileUtils.mkdir_p(@dir)
    FileUtils.cp(upload.tempfile.path, blob_path)
    meta = { "filename" => safe_filename(upload.original_filename), "content_type" => content_type,
             "size" => blob_path.size, "uploaded_at" => Time.now.utc.iso8601 }
    meta_path.write(JSON.generate(meta))
    meta
  end

  def delete
    FileUtils.rm_rf(@dir)
  end

  private

  def meta_path
    @dir.join("meta.json")
  end

  def safe_filename(name)
    File.basename(name.to_s).gsub(/[^\w.\- ]/, "_").strip[0, 255].presence || "file"
  end
end

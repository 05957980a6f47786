#include "ingest/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <utility>

namespace spinlog::ingest {
namespace {

class FileSource final : public ByteSource {
 public:
  FileSource(std::string name, int fd, bool owns_fd, std::optional<std::uint64_t> size)
      : name_(std::move(name)), fd_(fd), owns_fd_(owns_fd), size_(size) {}
  ~FileSource() override {
    if (owns_fd_) close(fd_);
  }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  Result<std::size_t> Read(char* buffer, std::size_t size) override {
    for (;;) {
      const ssize_t n = read(fd_, buffer, size);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno == EINTR) continue;
      return Status::IOError("cannot read " + name_ + ": " + std::strerror(errno));
    }
  }
  const std::string& name() const override { return name_; }
  std::optional<std::uint64_t> size() const override { return size_; }

 private:
  const std::string name_;
  const int fd_;
  const bool owns_fd_;
  const std::optional<std::uint64_t> size_;
};

class StringSource final : public ByteSource {
 public:
  StringSource(std::string name, std::string text, std::size_t max_read)
      : name_(std::move(name)), text_(std::move(text)), max_read_(max_read) {
    assert(max_read_ > 0);
  }

  Result<std::size_t> Read(char* buffer, std::size_t size) override {
    const std::size_t n = std::min({size, max_read_, text_.size() - position_});
    std::memcpy(buffer, text_.data() + position_, n);
    position_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }
  std::optional<std::uint64_t> size() const override { return text_.size(); }

 private:
  const std::string name_;
  const std::string text_;
  const std::size_t max_read_;
  std::size_t position_ = 0;
};

// The size of a regular file; nullopt for anything that can grow or stream.
std::optional<std::uint64_t> RegularFileSize(const struct stat& info) {
  if (!S_ISREG(info.st_mode)) return std::nullopt;
  return static_cast<std::uint64_t>(info.st_size);
}

}  // namespace

Result<std::unique_ptr<ByteSource>> OpenFileSource(const std::string& path) {
  if (path == "-") {
    struct stat info {};
    std::optional<std::uint64_t> size;
    if (fstat(STDIN_FILENO, &info) == 0) size = RegularFileSize(info);
    return std::unique_ptr<ByteSource>(
        std::make_unique<FileSource>("<stdin>", STDIN_FILENO, /*owns_fd=*/false, size));
  }
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    std::string message = "cannot open " + path + ": " + std::strerror(error);
    if (error == ENOENT) return Status::NotFound(std::move(message));
    return Status::IOError(std::move(message));
  }
  struct stat info {};
  if (fstat(fd, &info) != 0) {
    const int error = errno;
    close(fd);
    return Status::IOError("cannot open " + path + ": " + std::strerror(error));
  }
  if (S_ISDIR(info.st_mode)) {
    close(fd);
    return Status::InvalidArgument(path + " is a directory");
  }
  // The whole file is read once, front to back.
  (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);  // a hint; failing changes nothing
  return std::unique_ptr<ByteSource>(
      std::make_unique<FileSource>(path, fd, /*owns_fd=*/true, RegularFileSize(info)));
}

std::unique_ptr<ByteSource> MakeStringSource(std::string name, std::string text,
                                             std::size_t max_read) {
  return std::make_unique<StringSource>(std::move(name), std::move(text), max_read);
}

InputBuffer::InputBuffer(ByteSource* source, std::size_t chunk_bytes)
    : source_(source), chunk_bytes_(chunk_bytes) {
  assert(chunk_bytes_ > 0);
}

void InputBuffer::Consume(std::size_t n) {
  assert(n <= end_ - begin_);
  begin_ += n;
  consumed_ += n;
}

Result<bool> InputBuffer::Fill() {
  if (at_end_) return false;
  const std::size_t unconsumed = end_ - begin_;
  // Moving the unconsumed tail to the front keeps the buffer at a fixed size
  // while records are shorter than a chunk; only a record longer than that
  // makes it grow (readers bound how far).
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, unconsumed);
    begin_ = 0;
    end_ = unconsumed;
  }
  if (buffer_.size() < unconsumed + chunk_bytes_) buffer_.resize(unconsumed + chunk_bytes_);
  SPINLOG_ASSIGN_OR_RETURN(std::size_t n, source_->Read(buffer_.data() + end_, chunk_bytes_));
  if (n == 0) {
    at_end_ = true;
    return false;
  }
  end_ += n;
  return true;
}

Status InputBuffer::SkipPastNewline() {
  for (;;) {
    const std::size_t eol = data().find('\n');
    if (eol != std::string_view::npos) {
      Consume(eol + 1);
      return Status::OK();
    }
    Consume(data().size());
    SPINLOG_ASSIGN_OR_RETURN(bool more, Fill());
    if (!more) return Status::OK();
  }
}

Status InputBuffer::SkipByteOrderMark() {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  // The mark can only be judged once three bytes (or the end) are buffered.
  while (data().size() < kByteOrderMark.size()) {
    SPINLOG_ASSIGN_OR_RETURN(bool more, Fill());
    if (!more) break;
  }
  if (data().substr(0, kByteOrderMark.size()) == kByteOrderMark) Consume(kByteOrderMark.size());
  return Status::OK();
}

}  // namespace spinlog::ingest

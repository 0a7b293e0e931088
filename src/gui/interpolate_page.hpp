// Page 2, Interpolate a folder: the input frames as a filmstrip with a scrubber, the selected frame large
// with the crop rectangle drawn by mouse (numeric fields in sync, validated against the frame size by the
// library; Start disabled with the reason while invalid), and a before/after preview: the frame at t = 0.5
// between the selected frame and the next, computed off the GUI thread with the chosen backend, cancellable.
#pragma once

#include <QWidget>
#include <filesystem>
#include <future>
#include <optional>
#include <vector>

#include "core/cancel.hpp"
#include "gui/context.hpp"
#include "pipeline/interpolate.hpp"

class QCheckBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSlider;
class QSpinBox;

namespace goesvfi::gui {

class ConfigField;
class CropView;
class PathField;

class InterpolatePage : public QWidget {
  Q_OBJECT
 public:
  explicit InterpolatePage(GuiContext& context, QWidget* parent = nullptr);
  ~InterpolatePage() override;

  // Lists the folder's frames (the library's order) and shows the first; errors go to the reason label.
  void load_folder(const QString& folder);
  void select_frame(int index);
  // The job the fields describe; `config` (a copy of the app's) gets the config-backed fields.
  InterpolateJob job(Config& config) const;
  // Why Start is disabled ("" when it is enabled).
  QString problem() const;
  void start_preview();
  void cancel_preview();
  bool preview_running() const { return m_preview_running; }
  int frame_count() const { return static_cast<int>(m_frames.size()); }

  PathField *input, *output;
  QListWidget* filmstrip;
  QSlider* scrubber;
  CropView* view;
  QCheckBox* crop_enabled;
  QSpinBox *crop_x, *crop_y, *crop_w, *crop_h;
  QCheckBox* false_colour;
  std::vector<ConfigField*> fields;
  QLabel* reason;  // why Start is disabled
  QPushButton *start_button, *preview_button, *preview_cancel;
  QLabel *before_label, *middle_label, *after_label, *preview_status;

 private:
  void update_state();
  // Shows `r` in the numeric fields; `enable` turns cropping on (a drawn box does, the full-frame default
  // not).
  void fields_from_crop(const QRect& r, bool enable = true);
  std::optional<Rect> crop() const;
  void start();

  GuiContext& m_context;
  std::vector<std::filesystem::path> m_frames;
  int m_frame_width = 0, m_frame_height = 0;
  QString m_list_error;
  int m_selected = -1;
  bool m_syncing = false;
  bool m_preview_running = false;
  CancelToken m_preview_cancel;
  std::future<void> m_preview;
  int m_generation = 0;     // thumbnails of an older folder are dropped
  int m_frame_request = 0;  // the large frame of an older selection is dropped
};

}  // namespace goesvfi::gui

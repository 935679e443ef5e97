"""kn.markdown"""
